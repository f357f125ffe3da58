/**
 * The upload policy, pure (after Mozilla Glean's): what an answer means for a batch, when to try again, the limits of
 * one drain, and which backend URLs uploads may go to. It lives in src/shared/domain/ rather than beside the sync
 * (src/background/sync/) because the options page checks a backend URL as it is typed, and pages never import the
 * background. Tested directly in tests/unit/uploadPolicy.test.ts.
 */

export type Outcome = 'done' | 'drop' | 'retry';

/**
 * 2xx: delivered. 408 (timeout), 429 (rate limited) and 5xx: the server may take it later — retry. Any other 4xx
 * (400, 401, 403, 404, 413, 422 …): the server will never take this batch as it is — drop it, count it, show it.
 */
export function classifyStatus(status: number): Outcome {
  if (status >= 200 && status < 300) return 'done';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'drop';
}

export const firstRetryMs = 30_000;
export const longestRetryMs = 6 * 3_600_000;
/** A drain stops after this many failed sends, so a broken server is not hammered. */
export const failuresPerDrain = 3;
/** An upload is aborted after this long: a service worker may not outlive a longer fetch. */
export const uploadTimeoutMs = 25_000;
/** The outbox keeps at most this many batches; the oldest are dropped (and counted) beyond it. */
export const outboxLimit = 200;

/**
 * Exponential backoff with full jitter: after the n-th failure, wait a random time up to 30 s × 2ⁿ (at most 6 h), but
 * never less than the server's Retry-After.
 */
export function retryDelayMs(failures: number, random: number, retryAfterMs?: number): number {
  const ceiling = Math.min(longestRetryMs, firstRetryMs * 2 ** Math.max(0, failures - 1));
  const jittered = Math.round(ceiling / 2 + (random * ceiling) / 2);
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, 24 * 3_600_000));
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A backend URL smartTags may send to: HTTPS, or plain HTTP on this machine only (self-hosting and tests). */
export function checkBackendUrl(input: string): { ok: true; origin: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: 'This is not a URL (it should look like https://smarttags.example.org).' };
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return { ok: false, reason: 'Uploads go over HTTPS only (plain HTTP is allowed for 127.0.0.1 and localhost).' };
  }
  if (url.username || url.password) return { ok: false, reason: 'The URL must not contain a user name or password.' };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return { ok: false, reason: 'Give only the server’s address (scheme, host and port), without a path.' };
  }
  return { ok: true, origin: url.origin };
}
