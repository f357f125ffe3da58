/**
 * Sync: finished days become batches in an IndexedDB outbox (ids fixed when enqueued), and a drain sends them — only
 * under the upload scopes, only to the configured HTTPS backend, checking consent when a batch is built and again
 * when it is sent. Deletion requests go first and are retried until the backend confirms. Every step is stored before
 * it is acted on, so a worker stopped at any moment (or a restarted browser) resumes where it was; the backend
 * dedupes by batch id, so a batch that was delivered but whose answer was lost changes nothing when sent again.
 */
import { localDateOf } from '../../shared/dates';
import { pendingUploadTables } from '../../shared/db';
import { effectiveUploadScopes } from '../../shared/policy';
import type {
  AccountSnapshotRecord,
  DayRecord,
  DeletionRequestRecord,
  OutboxRecord,
  SyncCredentialsRecord,
  UploadLogRecord,
} from '../../shared/records';
import { installationCreated, type UploadBatch, uploadBatch, uploadSchemaVersion } from '../../shared/upload';
import { readConsent } from '../consent';
import type { BackgroundContext } from '../context';
import {
  classifyStatus,
  failuresPerDrain,
  outboxLimit,
  parseRetryAfter,
  retryDelayMs,
  uploadTimeoutMs,
} from './policy';

const daysPerBatch = 31;
const logKept = 200;

/** What a finished day looked like when it was last enqueued; a different one means a correction to send. */
function fingerprint(day: DayRecord, snapshots: AccountSnapshotRecord[]): string {
  return JSON.stringify([day, snapshots]);
}

export async function backendUrl({ db }: Pick<BackgroundContext, 'db'>): Promise<string | undefined> {
  return (await db.syncConfig.get('current'))?.backendUrl;
}

/** The batch that would be built from these days now, under the current consent; the preview shows exactly this. */
async function buildBatch(
  context: BackgroundContext,
  days: DayRecord[],
  snapshots: AccountSnapshotRecord[],
  batchId: string,
): Promise<UploadBatch | undefined> {
  const consent = await readConsent(context);
  const allowed = effectiveUploadScopes(consent.scopes, consent.agreedPolicyVersion, context.policyHistory);
  if (!allowed.includes('uploadUsage')) return undefined;
  const withAccounts = allowed.includes('uploadAccount') && consent.scopes.account;
  const usernames = [...new Set(snapshots.map((snapshot) => snapshot.username))].sort();
  const batch: UploadBatch = {
    schemaVersion: uploadSchemaVersion,
    batchId,
    policyVersion: consent.agreedPolicyVersion ?? 0,
    scopes: { ...consent.scopes, uploadAccount: withAccounts },
    environment: await context.network.environment(),
    days,
    ...(withAccounts && {
      accounts: usernames.map((username) => ({
        username,
        snapshots: snapshots
          .filter((snapshot) => snapshot.username === username)
          .map(({ date, observedAt, followers, following, posts }) => ({
            date,
            observedAt: new Date(observedAt).toISOString(),
            followers,
            following,
            posts,
          })),
      })),
    }),
  };
  return uploadBatch.parse(batch);
}

async function finishedDays(
  context: BackgroundContext,
): Promise<Array<{ day: DayRecord; snapshots: AccountSnapshotRecord[] }>> {
  const today = localDateOf(context.now(), context.timeZone());
  const days = await context.db.days.where('date').below(today).toArray();
  const snapshots = await context.db.accountSnapshots.where('date').below(today).toArray();
  return days.map((day) => ({ day, snapshots: snapshots.filter((snapshot) => snapshot.date === day.date) }));
}

/** The exact JSON the next upload would send (all finished days not yet sent), or why nothing would be sent. */
export async function previewUpload(context: BackgroundContext): Promise<{ batch: UploadBatch } | { reason: string }> {
  const pending = await finishedDays(context);
  const sent = new Map((await context.db.syncDays.toArray()).map((entry) => [entry.date, entry.fingerprint]));
  const changed = pending.filter(({ day, snapshots }) => sent.get(day.date) !== fingerprint(day, snapshots));
  const sample = changed.length > 0 ? changed : pending;
  const batch = await buildBatch(
    context,
    sample.slice(0, daysPerBatch).map((entry) => entry.day),
    sample.slice(0, daysPerBatch).flatMap((entry) => entry.snapshots),
    'preview-only',
  );
  if (!batch) return { reason: 'Uploading is off (or paused until you review the updated privacy policy).' };
  return { batch };
}

/** Turns finished days that are new or changed since they were last enqueued into batches. */
export async function enqueueFinishedDays(context: BackgroundContext): Promise<number> {
  const { db } = context;
  if (!(await backendUrl(context))) return 0;
  const candidates = await finishedDays(context);
  const sent = new Map((await db.syncDays.toArray()).map((entry) => [entry.date, entry.fingerprint]));
  const changed = candidates.filter(({ day, snapshots }) => sent.get(day.date) !== fingerprint(day, snapshots));
  let enqueued = 0;
  for (let start = 0; start < changed.length; start += daysPerBatch) {
    const chunk = changed.slice(start, start + daysPerBatch);
    const batchId = context.network.newId();
    const batch = await buildBatch(
      context,
      chunk.map((entry) => entry.day),
      chunk.flatMap((entry) => entry.snapshots),
      batchId,
    );
    if (!batch) return enqueued;
    await db.transaction('rw', db.outbox, db.syncDays, db.uploadLog, async () => {
      await db.outbox.add({
        batchId,
        createdAt: context.now(),
        batch,
        dates: batch.days.map((day) => day.date),
        failures: 0,
        nextAttemptAt: context.now(),
      });
      await db.syncDays.bulkPut(
        chunk.map(({ day, snapshots }) => ({ date: day.date, fingerprint: fingerprint(day, snapshots) })),
      );
      const overflow = (await db.outbox.count()) - outboxLimit;
      if (overflow > 0) {
        const dropped = await db.outbox.orderBy('seq').limit(overflow).toArray();
        await db.outbox.bulkDelete(dropped.flatMap((item) => (item.seq === undefined ? [] : [item.seq])));
        for (const item of dropped)
          await log(context, item, 'overflow', null, 'The outbox was full; the oldest batch was dropped.');
      }
    });
    enqueued += 1;
  }
  return enqueued;
}

async function log(
  context: BackgroundContext,
  item: Pick<OutboxRecord, 'batchId' | 'dates'>,
  outcome: UploadLogRecord['outcome'],
  status: number | null,
  error: string | null,
): Promise<void> {
  const { db } = context;
  await db.uploadLog.add({ at: context.now(), batchId: item.batchId, dates: item.dates, outcome, status, error });
  const excess = (await db.uploadLog.count()) - logKept;
  if (excess > 0) await db.uploadLog.orderBy('id').limit(excess).delete();
}

async function send(
  context: BackgroundContext,
  url: string,
  init: RequestInit,
): Promise<{ status: number; body: unknown; retryAfterMs?: number | undefined } | { error: string }> {
  try {
    const response = await context.network.fetch(url, { ...init, signal: AbortSignal.timeout(uploadTimeoutMs) });
    const body: unknown = await response.json().catch(() => undefined);
    return {
      status: response.status,
      body,
      retryAfterMs: parseRetryAfter(response.headers.get('Retry-After'), context.now()),
    };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

async function credentials(
  context: BackgroundContext,
  url: string,
): Promise<SyncCredentialsRecord | { error: string }> {
  const stored = await context.db.syncCredentials.get('current');
  if (stored && stored.backendUrl === url) return stored;
  const answer = await send(context, `${url}/v1/installations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if ('error' in answer) return answer;
  const created = installationCreated.safeParse(answer.body);
  if (answer.status !== 201 || !created.success)
    return { error: `Registering with the backend failed (HTTP ${answer.status}).` };
  const record: SyncCredentialsRecord = { id: 'current', backendUrl: url, ...created.data, createdAt: context.now() };
  await context.db.syncCredentials.put(record);
  await publishUninstallUrl(context);
  return record;
}

export interface DrainResult {
  sent: number;
  dropped: number;
  failed: number;
  remaining: number;
  deletionsConfirmed: number;
}

/** Sends what is due: deletion requests first, then batches in order, stopping after a few failures. */
export async function drain(context: BackgroundContext): Promise<DrainResult> {
  const { db } = context;
  const result: DrainResult = { sent: 0, dropped: 0, failed: 0, remaining: 0, deletionsConfirmed: 0 };
  for (const request of await db.deletionRequests.where('status').anyOf('queued', 'sent').toArray()) {
    if (result.failed >= failuresPerDrain) break;
    if (request.nextAttemptAt > context.now()) continue;
    if (await sendDeletion(context, request)) result.deletionsConfirmed += 1;
    else result.failed += 1;
  }
  const url = await backendUrl(context);
  if (url) await enqueueFinishedDays(context);
  const consent = await readConsent(context);
  const allowed = effectiveUploadScopes(consent.scopes, consent.agreedPolicyVersion, context.policyHistory);
  for (const item of await db.outbox.orderBy('seq').toArray()) {
    if (!url || !allowed.includes('uploadUsage') || result.failed >= failuresPerDrain) break;
    if (item.nextAttemptAt > context.now()) continue;
    const identity = await credentials(context, url);
    if ('error' in identity) {
      result.failed += 1;
      await db.outbox.update(item.seq ?? 0, retryLater(context, item));
      await log(context, item, 'retrying', null, identity.error);
      continue;
    }
    // Consent is checked again at send time: a batch built with accounts loses them if uploadAccount was withdrawn.
    const built = uploadBatch.parse(item.batch);
    const batch: UploadBatch = allowed.includes('uploadAccount')
      ? built
      : { ...built, scopes: { ...built.scopes, uploadAccount: false }, accounts: undefined };
    const answer = await send(context, `${url}/v1/uploads`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${identity.token}`,
        'idempotency-key': item.batchId,
      },
      body: JSON.stringify(batch),
    });
    const outcome = 'error' in answer ? 'retry' : classifyStatus(answer.status);
    const status = 'error' in answer ? null : answer.status;
    const error = 'error' in answer ? answer.error : describeFailure(answer.body, answer.status);
    if (outcome === 'done') {
      await db.outbox.delete(item.seq ?? 0);
      const duplicate = (answer as { body?: { duplicate?: boolean } }).body?.duplicate === true;
      await log(context, item, duplicate ? 'duplicate' : 'sent', status, null);
      result.sent += 1;
    } else if (outcome === 'drop') {
      await db.outbox.delete(item.seq ?? 0);
      await log(context, item, 'dropped', status, error);
      // A rejected token means this identity is gone at the backend: the next upload registers a new one.
      if (status === 401) await db.syncCredentials.delete('current');
      result.dropped += 1;
    } else {
      await db.outbox.update(
        item.seq ?? 0,
        retryLater(context, item, 'error' in answer ? undefined : answer.retryAfterMs),
      );
      await log(context, item, 'retrying', status, error);
      result.failed += 1;
    }
  }
  result.remaining = await db.outbox.count();
  return result;
}

function retryLater(context: BackgroundContext, item: OutboxRecord, retryAfterMs?: number): Partial<OutboxRecord> {
  const failures = item.failures + 1;
  return { failures, nextAttemptAt: context.now() + retryDelayMs(failures, context.network.random(), retryAfterMs) };
}

function describeFailure(body: unknown, status: number): string | null {
  if (status >= 200 && status < 300) return null;
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return `HTTP ${status}${typeof message === 'string' ? `: ${message}` : ''}`;
}

async function sendDeletion(context: BackgroundContext, request: DeletionRequestRecord): Promise<boolean> {
  const { db } = context;
  await db.deletionRequests.update(request.id, { status: 'sent' });
  const answer = await send(context, `${request.backendUrl}/v1/installations/me`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${request.token}` },
  });
  if (!('error' in answer) && (answer.status === 200 || answer.status === 401)) {
    // 401: the identity no longer exists — deleted already (an earlier answer was lost) — which is what was asked.
    const receipt = answer.body as { receiptId?: unknown; deletedAt?: unknown } | undefined;
    await db.deletionRequests.update(request.id, {
      status: 'confirmed',
      receiptId: typeof receipt?.receiptId === 'string' ? receipt.receiptId : null,
      deletedAt: typeof receipt?.deletedAt === 'string' ? receipt.deletedAt : new Date(context.now()).toISOString(),
      lastError: null,
    });
    return true;
  }
  const failures = request.failures + 1;
  const retryAfter = 'error' in answer ? undefined : answer.retryAfterMs;
  await db.deletionRequests.update(request.id, {
    failures,
    nextAttemptAt: context.now() + retryDelayMs(failures, context.network.random(), retryAfter),
    lastError: 'error' in answer ? answer.error : `HTTP ${answer.status}`,
  });
  return false;
}

/**
 * Points the browser's uninstall URL at the backend's deletion link for the current identity (or clears it): if the
 * extension is removed before it can send a deletion request, the page the browser opens deletes the data instead.
 */
export async function publishUninstallUrl(context: BackgroundContext): Promise<void> {
  const identity = await context.db.syncCredentials.get('current');
  await context.platform.setUninstallUrl(
    identity ? `${identity.backendUrl}/v1/uninstalled/${encodeURIComponent(identity.uninstallCode)}` : null,
  );
}

/**
 * Asks the backend to delete everything of the current identity, and forgets that identity so later uploads start a
 * new pseudonymous one. Pending batches are purged (they were for the old identity, and consent changed), and every
 * finished day becomes due again — under the new identity, if uploading is still allowed.
 */
export async function requestRemoteDeletion(context: BackgroundContext): Promise<DeletionRequestRecord | undefined> {
  const { db } = context;
  const request = await db.transaction(
    'rw',
    [db.syncCredentials, db.deletionRequests, ...pendingUploadTables.map((t) => db.table(t))],
    async () => {
      await Promise.all(pendingUploadTables.map((table) => db.table(table).clear()));
      const identity = await db.syncCredentials.get('current');
      if (!identity) return undefined;
      await db.syncCredentials.delete('current');
      const request: DeletionRequestRecord = {
        id: context.network.newId(),
        requestedAt: context.now(),
        backendUrl: identity.backendUrl,
        installationId: identity.installationId,
        token: identity.token,
        status: 'queued',
        failures: 0,
        nextAttemptAt: context.now(),
        lastError: null,
        receiptId: null,
        deletedAt: null,
      };
      await db.deletionRequests.add(request);
      return request;
    },
  );
  if (request) await publishUninstallUrl(context);
  return request;
}
