/**
 * Sync: finished days become batches in an IndexedDB outbox (ids fixed when enqueued, sized by their encoded bytes
 * under the backend's announced limit), and a drain sends them — only under the upload scopes, only to the configured
 * backend, checking the stored consent before every request. Deletion requests go first and are retried until the
 * backend answers with a receipt. Every step is stored before it is acted on, so a worker stopped at any moment (or a
 * restarted browser) resumes where it was; the backend dedupes by batch id and keeps each day's highest revision, so a
 * batch sent twice, or an older version of a day retried late, changes nothing. State machines: docs/SYNC.md.
 */

import type { Table } from 'dexie';
import {
  assumedLimits,
  deletionReceipt,
  installationCreated,
  type UploadBatch,
  type UploadDay,
  uploadAccountsOf,
  uploadBatch,
  uploadDayOf,
  uploadLimits,
  uploadSchemaVersion,
} from '../../shared/contracts/upload';
import { localDateOf } from '../../shared/domain/dates';
import { effectiveUploadScopes } from '../../shared/domain/policy';
import { emptyDay } from '../../shared/domain/reports';
import {
  classifyStatus,
  failuresPerDrain,
  outboxLimit,
  parseRetryAfter,
  retryDelayMs,
  uploadTimeoutMs,
} from '../../shared/domain/uploadPolicy';
import { pendingUploadTables } from '../../shared/storage/db';
import type {
  AccountSnapshotRecord,
  DayRecord,
  DeletionRequestRecord,
  OutboxRecord,
  SyncConfigRecord,
  SyncCredentialsRecord,
  UploadLogRecord,
} from '../../shared/storage/records';
import { readConsent } from '../consentState';
import type { BackgroundContext } from '../context';

/** The contract allows at most this many days in one batch, whatever their size. */
const maxDaysPerBatch = 400;
const logKept = 200;
/** Passes over the outbox in one drain: enough for every split of a full batch down to single days, and a 401. */
const maxPasses = 12;
/** A batch is built to at most this share of the backend's limit: room for the envelope's estimate to be off. */
const budgetShare = 0.9;

type Limits = NonNullable<SyncConfigRecord['limits']>;
const fallbackLimits: Limits = {
  maxBodyBytes: assumedLimits.maxBodyBytes,
  maxDecodedBytes: assumedLimits.maxDecodedBytes,
  newestVersion: assumedLimits.uploadVersions.newest,
  announced: false,
};

/** What a finished day looked like when it was last enqueued; a different one means a correction to send. */
function fingerprint(day: DayRecord, snapshots: AccountSnapshotRecord[]): string {
  return JSON.stringify([day, snapshots]);
}

/** The fingerprint of a day the person deleted after it was enqueued: never a JSON array, so never a day's. */
const deletedByHand = 'deleted-by-hand';

/**
 * Called in the transaction that deletes a day by hand (src/background/edits.ts). The upload contract has no deletion
 * of one day, but the backend keeps each day's highest revision: so a day already enqueued (and perhaps sent) is marked,
 * and the next enqueue sends it once more, all zero, with a higher revision, which replaces the backend's copy. A day
 * never enqueued has no row here and needs nothing: none of it left the device. Retention also deletes days, but leaves
 * their rows unmarked: ageing out of this device is not a correction, and the backend keeps what it was sent.
 */
export async function markDeletedDay(context: Pick<BackgroundContext, 'db'>, date: string): Promise<void> {
  await context.db.syncDays.update(date, { fingerprint: deletedByHand });
}

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).length;

async function backendUrl({ db }: Pick<BackgroundContext, 'db'>): Promise<string | undefined> {
  return (await db.syncConfig.get('current'))?.backendUrl;
}

// ——— stopping at once ———

/**
 * The drains running in this context, each with the controller its requests listen to. Aborting is an optimisation of
 * the stored truth, not a replacement for it: every request is preceded by a read of the stored consent, so a drain in
 * a context that missed the abort still stops before its next request.
 */
const running = new WeakMap<object, Set<AbortController>>();

/** Aborts every request in flight and every later one of the drains now running (consent withdrawn, backend changed). */
function stopUploads(context: Pick<BackgroundContext, 'db'>): void {
  for (const controller of running.get(context.db) ?? []) {
    controller.abort(
      new DOMException('Uploading was stopped: consent was withdrawn or the backend changed.', 'AbortError'),
    );
  }
}

async function uploadsAllowed(context: BackgroundContext): Promise<{ usage: boolean; accounts: boolean }> {
  const consent = await readConsent(context);
  const allowed = effectiveUploadScopes(consent.scopes, consent.agreedPolicyVersion, context.policyHistory);
  return {
    usage: allowed.includes('uploadUsage'),
    accounts: allowed.includes('uploadUsage') && allowed.includes('uploadAccount') && consent.scopes.account,
  };
}

// ——— one drain at a time ———

const queued = new WeakMap<object, Promise<unknown>>();

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * Runs `work` when no other drain runs: with the Web Locks API where the context has it (every extension context of
 * one browser profile shares its locks, and a lock dies with the worker that held it), otherwise in a queue of this
 * context. A second request waits for the first and then drains again, so "Sync now" always reflects a full drain.
 */
async function oneAtATime<T>(context: Pick<BackgroundContext, 'db'>, work: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (locks) return locks.request(`smarttags-drain:${context.db.name}`, work);
  const before = queued.get(context.db) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(work);
  queued.set(context.db, mine);
  try {
    return await mine;
  } finally {
    if (queued.get(context.db) === mine) queued.delete(context.db);
  }
}

// ——— building batches ———

type BatchBase = Pick<UploadBatch, 'schemaVersion' | 'policyVersion' | 'scopes' | 'environment'>;
type Entry = { day: DayRecord; snapshots: AccountSnapshotRecord[]; revision: number };

function uploadDay(entry: Entry): UploadDay {
  return uploadDayOf(entry.day, entry.revision);
}

function buildBatch(entries: Entry[], batchId: string, base: BatchBase, withAccounts: boolean): UploadBatch {
  return {
    ...base,
    batchId,
    days: entries.map(uploadDay),
    ...(withAccounts && { accounts: uploadAccountsOf(entries.flatMap((entry) => entry.snapshots)) }),
  };
}

/** The most encoded JSON bytes one batch may have for this backend. */
function batchBudget(limits: Limits): number {
  // Announced limits mean the server takes gzip: the decoded size is what bounds the JSON. Otherwise the JSON is the
  // body itself.
  const bound = limits.announced ? limits.maxDecodedBytes : Math.min(limits.maxBodyBytes, limits.maxDecodedBytes);
  return Math.floor(bound * budgetShare);
}

/**
 * Splits entries into batches whose encoded JSON stays under the budget, in order. An entry that alone is over it is
 * returned apart: no batch can carry it.
 */
function packBatches(
  entries: Entry[],
  base: BatchBase,
  withAccounts: boolean,
  budget: number,
): { batches: Entry[][]; tooLarge: Array<{ entry: Entry; bytes: number }> } {
  const envelope = byteLength(JSON.stringify(buildBatch([], 'x'.repeat(64), base, withAccounts)));
  const batches: Entry[][] = [];
  const tooLarge: Array<{ entry: Entry; bytes: number }> = [];
  let current: Entry[] = [];
  let currentBytes = envelope;
  for (const entry of entries) {
    // The day, its snapshots, and room for the account's name and commas.
    const bytes =
      byteLength(JSON.stringify(uploadDay(entry))) +
      (withAccounts
        ? entry.snapshots.reduce((sum, snapshot) => sum + byteLength(JSON.stringify(snapshot)) + 64, 0)
        : 0) +
      2;
    if (envelope + bytes > budget) {
      tooLarge.push({ entry, bytes: envelope + bytes });
      continue;
    }
    if (current.length > 0 && (currentBytes + bytes > budget || current.length >= maxDaysPerBatch)) {
      batches.push(current);
      current = [];
      currentBytes = envelope;
    }
    current.push(entry);
    currentBytes += bytes;
  }
  if (current.length > 0) batches.push(current);
  return { batches, tooLarge };
}

async function finishedDays(context: BackgroundContext): Promise<Array<Omit<Entry, 'revision'>>> {
  const today = localDateOf(context.now(), context.timeZone());
  const days = await context.db.days.where('date').below(today).toArray();
  const snapshots = await context.db.accountSnapshots.where('date').below(today).toArray();
  const byDate = new Map<string, AccountSnapshotRecord[]>();
  for (const snapshot of snapshots) byDate.set(snapshot.date, [...(byDate.get(snapshot.date) ?? []), snapshot]);
  return days.map((day) => ({ day, snapshots: byDate.get(day.date) ?? [] }));
}

/**
 * Finished days that are new or changed since they were last enqueued, and finished days deleted by hand since, as
 * empty days (`markDeletedDay`); each with its next revision, in date order.
 */
async function changedDays(context: BackgroundContext): Promise<Entry[]> {
  const rows = await context.db.syncDays.toArray();
  const previous = new Map(rows.map((entry) => [entry.date, entry]));
  const now = context.now();
  // Later than every earlier revision of the day, also across a new identity (revisions are never reset).
  const nextRevision = (date: string) => Math.max((previous.get(date)?.revision ?? 0) + 1, now);
  const finished = await finishedDays(context);
  const changed = finished.flatMap(({ day, snapshots }) =>
    previous.get(day.date)?.fingerprint === fingerprint(day, snapshots)
      ? []
      : [{ day, snapshots, revision: nextRevision(day.date) }],
  );
  const stored = new Set(finished.map(({ day }) => day.date));
  const today = localDateOf(now, context.timeZone());
  const deleted = rows
    .filter((row) => row.fingerprint === deletedByHand && row.date < today && !stored.has(row.date))
    .map((row) => ({ day: emptyDay(row.date, context.timeZone()), snapshots: [], revision: nextRevision(row.date) }));
  return [...changed, ...deleted].sort((a, b) => a.day.date.localeCompare(b.day.date));
}

async function batchBase(context: BackgroundContext, withAccounts: boolean): Promise<BatchBase> {
  const consent = await readConsent(context);
  return {
    schemaVersion: uploadSchemaVersion,
    policyVersion: consent.agreedPolicyVersion ?? 0,
    scopes: { ...consent.scopes, uploadAccount: withAccounts },
    environment: await context.network.environment(),
  };
}

/** The exact JSON the next upload would send (the first batch of the finished days not yet sent), or why nothing. */
export async function previewUpload(context: BackgroundContext): Promise<{ batch: UploadBatch } | { reason: string }> {
  const allowed = await uploadsAllowed(context);
  if (!allowed.usage) return { reason: 'Uploading is off (or paused until you review the updated privacy policy).' };
  const changed = await changedDays(context);
  const sample =
    changed.length > 0 ? changed : (await finishedDays(context)).map((entry) => ({ ...entry, revision: 0 }));
  const base = await batchBase(context, allowed.accounts);
  const limits = (await context.db.syncConfig.get('current'))?.limits ?? fallbackLimits;
  const [first = []] = packBatches(sample, base, allowed.accounts, batchBudget(limits)).batches;
  return { batch: uploadBatch.parse(buildBatch(first, 'preview-only', base, allowed.accounts)) };
}

/** Turns finished days that are new or changed since they were last enqueued into batches sized for this backend. */
async function enqueueFinishedDays(context: BackgroundContext, limitsNow: () => Promise<Limits>): Promise<number> {
  const { db } = context;
  if (!(await backendUrl(context))) return 0;
  const allowed = await uploadsAllowed(context);
  if (!allowed.usage) return 0;
  if ((await changedDays(context)).length === 0) return 0;
  const base = await batchBase(context, allowed.accounts);
  const budget = batchBudget(await limitsNow());
  const tables = [db.days, db.accountSnapshots, db.outbox, db.syncDays, db.uploadLog];
  return db.transaction('rw', tables, async () => {
    // Found again in the transaction that records their fingerprints: a day corrected or deleted by hand while the
    // limits were asked for is enqueued as it is now, and its new state is never overwritten by one read before.
    const changed = await changedDays(context);
    const { batches, tooLarge } = packBatches(changed, base, allowed.accounts, budget);
    for (const entries of batches) {
      const batchId = context.network.newId();
      const batch = uploadBatch.parse(buildBatch(entries, batchId, base, allowed.accounts));
      await db.outbox.add({
        batchId,
        createdAt: context.now(),
        batch,
        dates: entries.map((entry) => entry.day.date),
        failures: 0,
        nextAttemptAt: context.now(),
      });
    }
    for (const { entry, bytes } of tooLarge) {
      // Never silently lost: the log says which day and why. It is tried again when the day changes.
      await log(
        context,
        { batchId: 'not-sent', dates: [entry.day.date] },
        'too-large',
        null,
        `This day is ${bytes} bytes as JSON; the backend takes at most ${budget} per upload, so it cannot be sent.`,
      );
    }
    await db.syncDays.bulkPut(
      changed.map(({ day, snapshots, revision }) => ({
        date: day.date,
        fingerprint: fingerprint(day, snapshots),
        revision,
      })),
    );
    const overflow = (await db.outbox.count()) - outboxLimit;
    if (overflow > 0) {
      const dropped = await db.outbox.orderBy('seq').limit(overflow).toArray();
      await db.outbox.bulkDelete(dropped.flatMap((item) => (item.seq === undefined ? [] : [item.seq])));
      for (const item of dropped)
        await log(context, item, 'overflow', null, 'The outbox was full; the oldest batch was dropped.');
    }
    return batches.length;
  });
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

// ——— HTTP ———

type Answer = { status: number; body: unknown; retryAfterMs?: number | undefined } | { error: string };

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}

/**
 * One request. Redirects are never followed (`redirect: 'error'`): a redirect could carry the data over plain HTTP or
 * to another origin, so it fails like a network error and is shown as one. The request ends when the drain is stopped
 * or after `uploadTimeoutMs`.
 */
async function send(context: BackgroundContext, url: string, init: RequestInit, stop: AbortSignal): Promise<Answer> {
  try {
    const response = await context.network.fetch(url, {
      ...init,
      redirect: 'error',
      signal: AbortSignal.any([stop, AbortSignal.timeout(uploadTimeoutMs)]),
    });
    const body: unknown = await response.json().catch(() => undefined);
    return {
      status: response.status,
      body,
      retryAfterMs: parseRetryAfter(response.headers.get('Retry-After'), context.now()),
    };
  } catch (error) {
    const text = describeError(error);
    return {
      error:
        /redirect/i.test(text) || error instanceof TypeError
          ? `No answer (a network error, or a redirect, which smartTags never follows): ${text}`
          : text,
    };
  }
}

async function gzip(text: string): Promise<ArrayBuffer> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

/** The backend's announced limits (kept for the preview); a backend that predates them answers 404. */
async function readLimits(context: BackgroundContext, url: string, stop: AbortSignal): Promise<Limits> {
  const stored = (await context.db.syncConfig.get('current'))?.limits;
  const answer = await send(context, `${url}/v1/limits`, { method: 'GET' }, stop);
  let limits: Limits | undefined;
  if (!('error' in answer) && answer.status === 404) limits = fallbackLimits;
  if (!('error' in answer) && answer.status === 200) {
    const parsed = uploadLimits.safeParse(answer.body);
    if (parsed.success) {
      limits = {
        maxBodyBytes: parsed.data.maxBodyBytes,
        maxDecodedBytes: parsed.data.maxDecodedBytes,
        newestVersion: parsed.data.uploadVersions.newest,
        announced: true,
      };
    }
  }
  if (!limits) return stored ?? fallbackLimits;
  await context.db.syncConfig
    .where('id')
    .equals('current')
    .modify((config) => {
      if (config.backendUrl === url) config.limits = limits;
    });
  return limits;
}

type IdentityAnswer = SyncCredentialsRecord | { error: string } | { stopped: true };

/**
 * The identity at this backend, registered on first use. Never registered once uploads are off: consent is read
 * before the request, and again in the transaction that would keep the new identity — if it was withdrawn meanwhile
 * (or the backend changed), the identity is not kept but queued for deletion.
 */
async function credentials(context: BackgroundContext, url: string, stop: AbortSignal): Promise<IdentityAnswer> {
  const { db } = context;
  const stored = await db.syncCredentials.get('current');
  if (stored && stored.backendUrl === url) return stored;
  if (stop.aborted || !(await uploadsAllowed(context)).usage) return { stopped: true };
  // No body: the server refuses one (creating an installation takes no input).
  const answer = await send(context, `${url}/v1/installations`, { method: 'POST' }, stop);
  if (stop.aborted) return { stopped: true };
  if ('error' in answer) return answer;
  const created = installationCreated.safeParse(answer.body);
  if (answer.status !== 201 || !created.success)
    return { error: `Registering with the backend failed (HTTP ${answer.status}).` };
  const record: SyncCredentialsRecord = { id: 'current', backendUrl: url, ...created.data, createdAt: context.now() };
  const kept = await db.transaction(
    'rw',
    [db.consent, db.syncConfig, db.syncCredentials, db.deletionRequests],
    async () => {
      if (!stop.aborted && (await uploadsAllowed(context)).usage && (await backendUrl(context)) === url) {
        await db.syncCredentials.put(record);
        return true;
      }
      await db.deletionRequests.add(deletionRequestFor(context, record, 'queued'));
      return false;
    },
  );
  if (!kept) return { stopped: true };
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
export function drain(context: BackgroundContext): Promise<DrainResult> {
  return oneAtATime(context, () => drainNow(context));
}

async function drainNow(context: BackgroundContext): Promise<DrainResult> {
  const { db } = context;
  const controller = new AbortController();
  const mine = running.get(db) ?? new Set<AbortController>();
  running.set(db, mine);
  mine.add(controller);
  const stop = controller.signal;
  const result: DrainResult = { sent: 0, dropped: 0, failed: 0, remaining: 0, deletionsConfirmed: 0 };
  try {
    for (const request of await db.deletionRequests.where('status').anyOf('queued', 'sent').toArray()) {
      if (result.failed >= failuresPerDrain || stop.aborted) break;
      if (request.nextAttemptAt > context.now()) continue;
      if (await sendDeletion(context, request, stop)) result.deletionsConfirmed += 1;
      else result.failed += 1;
    }
    const url = await backendUrl(context);
    if (!url || stop.aborted || !(await uploadsAllowed(context)).usage) return result;
    // Asked of the backend only when there is something to send: an idle drain every five minutes sends nothing.
    let limits: Limits | undefined;
    const limitsNow = async () => {
      limits ??= await readLimits(context, url, stop);
      return limits;
    };
    await enqueueFinishedDays(context, limitsNow);
    let identityLost = false;
    // Passes over the outbox: again after a split (its halves are new batches), and once after a 401.
    for (let pass = 0; pass < maxPasses && !stop.aborted; pass += 1) {
      const outcome = await sendBatches(context, url, limitsNow, stop, result);
      if (outcome === 'finished' || (outcome === 'identity-lost' && identityLost)) break;
      if (outcome === 'identity-lost') {
        identityLost = true;
        // The backend no longer knows the identity: everything is due again, for the new one.
        await enqueueFinishedDays(context, limitsNow);
      }
    }
    return result;
  } finally {
    mine.delete(controller);
    result.remaining = await db.outbox.count();
  }
}

/**
 * Sends due batches in order. Answers whether another pass is due: a batch was split (its halves are new batches), or
 * the backend said the identity is gone (401).
 */
async function sendBatches(
  context: BackgroundContext,
  url: string,
  limitsNow: () => Promise<Limits>,
  stop: AbortSignal,
  result: DrainResult,
): Promise<'finished' | 'split' | 'identity-lost'> {
  let another: 'finished' | 'split' = 'finished';
  const { db } = context;
  for (const item of await db.outbox.orderBy('seq').toArray()) {
    if (result.failed >= failuresPerDrain || stop.aborted) return another;
    // The stored consent, before every request: a withdrawal in another context stops this drain too.
    const allowed = await uploadsAllowed(context);
    if (!allowed.usage) return another;
    if (item.nextAttemptAt > context.now()) continue;
    if (!(await db.outbox.get(item.seq ?? 0))) continue; // purged meanwhile
    const identity = await credentials(context, url, stop);
    if ('stopped' in identity) return another;
    if ('error' in identity) {
      await retry(context, item, null, identity.error, undefined, result);
      continue;
    }
    const limits = await limitsNow();
    const batch = forSending(uploadBatch.parse(item.batch), allowed.accounts, limits.newestVersion);
    const json = JSON.stringify(batch);
    const answer = await send(
      context,
      `${url}/v1/uploads`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${identity.token}`,
          'idempotency-key': item.batchId,
          ...(limits.announced && { 'content-encoding': 'gzip' }),
        },
        body: limits.announced ? await gzip(json) : json,
      },
      stop,
    );
    // Stopped by a withdrawal or a backend change: its outbox is purged already; nothing to record for this batch.
    if (stop.aborted) return another;
    if ('error' in answer) {
      await retry(context, item, null, answer.error, undefined, result);
      continue;
    }
    const { status } = answer;
    if (status === 401) {
      await identityGone(context, identity, item, describeFailure(answer.body, status));
      return 'identity-lost';
    }
    if (status === 413) {
      if (await splitOrGiveUp(context, item, batch, describeFailure(answer.body, status))) another = 'split';
      continue;
    }
    const outcome = classifyStatus(status);
    if (outcome === 'done') {
      const duplicate = (answer.body as { duplicate?: unknown } | undefined)?.duplicate === true;
      await settle(context, item, [], async () => {
        await db.outbox.delete(item.seq ?? 0);
        await log(context, item, duplicate ? 'duplicate' : 'sent', status, null);
      });
      result.sent += 1;
    } else if (outcome === 'drop') {
      await settle(context, item, [], async () => {
        await db.outbox.delete(item.seq ?? 0);
        await log(context, item, 'dropped', status, describeFailure(answer.body, status));
      });
      result.dropped += 1;
    } else {
      await retry(context, item, status, describeFailure(answer.body, status), answer.retryAfterMs, result);
    }
  }
  return another;
}

/**
 * The batch as it goes out now: accounts only while uploadAccount is still granted, and in the newest contract version
 * the backend takes (a backend of version 1 gets the days without revisions).
 */
function forSending(built: UploadBatch, withAccounts: boolean, newestVersion: number): UploadBatch {
  const batch: UploadBatch = withAccounts
    ? built
    : { ...built, scopes: { ...built.scopes, uploadAccount: false }, accounts: undefined };
  if (newestVersion >= uploadSchemaVersion) return batch;
  return { ...batch, schemaVersion: 1, days: batch.days.map(({ revision: _revision, ...day }) => day) };
}

async function retry(
  context: BackgroundContext,
  item: OutboxRecord,
  status: number | null,
  error: string | null,
  retryAfterMs: number | undefined,
  result: DrainResult,
): Promise<void> {
  await settle(context, item, [], async () => {
    await context.db.outbox.update(item.seq ?? 0, retryLater(context, item, retryAfterMs));
    await log(context, item, 'retrying', status, error);
  });
  result.failed += 1;
}

/**
 * Writes what became of a batch in one transaction with the check that the batch is still queued. A wipe, a withdrawal
 * or a backend change purges the outbox (a wipe clears the log too) while a request may be out, and the answer can
 * arrive just after: whatever it says, nothing about a purged batch is written — no log row outlives a wipe, and no
 * half of a split batch or day made due again by a 401 comes back. Answers whether it was written.
 */
async function settle<T>(
  context: BackgroundContext,
  item: OutboxRecord,
  alsoWritten: readonly Table[],
  write: () => Promise<T>,
): Promise<T | undefined> {
  const { db } = context;
  return db.transaction('rw', [db.outbox, db.uploadLog, ...alsoWritten], async () =>
    (await db.outbox.get(item.seq ?? 0)) ? write() : undefined,
  );
}

/**
 * 401: the backend no longer knows this identity (deleted through the uninstall link, or its database was reset).
 * Nothing is dropped: the identity is forgotten and every finished day becomes due again for a new one, which the same
 * drain registers — only while the upload scopes are still on.
 */
async function identityGone(
  context: BackgroundContext,
  identity: SyncCredentialsRecord,
  item: OutboxRecord,
  error: string | null,
): Promise<void> {
  const { db } = context;
  await settle(context, item, [db.syncCredentials, db.syncDays], async () => {
    if ((await db.syncCredentials.get('current'))?.token === identity.token) await db.syncCredentials.delete('current');
    await db.outbox.clear();
    // Only fingerprints are forgotten: revisions stay, so the days go out again with higher ones.
    await db.syncDays.toCollection().modify((day) => {
      day.fingerprint = '';
    });
    await log(
      context,
      item,
      'retrying',
      401,
      `${error ?? 'HTTP 401'} — the backend no longer knows this identity; sending everything again under a new one.`,
    );
  });
  await publishUninstallUrl(context);
}

/**
 * 413: the backend takes less than this batch. Halves go back into the outbox (new batch ids, sent next); a single day
 * that is too large is given up on and the log says so. Answers whether it split (never for a batch purged meanwhile).
 */
async function splitOrGiveUp(
  context: BackgroundContext,
  item: OutboxRecord,
  batch: UploadBatch,
  error: string | null,
): Promise<boolean> {
  const { db } = context;
  const split = await settle(context, item, [], async (): Promise<boolean> => {
    await db.outbox.delete(item.seq ?? 0);
    if (batch.days.length <= 1) {
      await log(
        context,
        item,
        'too-large',
        413,
        `${error ?? 'HTTP 413'} — this one day is larger than the backend takes; it was not sent.`,
      );
      return false;
    }
    const middle = Math.ceil(batch.days.length / 2);
    for (const days of [batch.days.slice(0, middle), batch.days.slice(middle)]) {
      const dates = new Set(days.map((day) => day.date));
      const batchId = context.network.newId();
      const half: UploadBatch = {
        ...batch,
        batchId,
        days,
        ...(batch.accounts && {
          accounts: batch.accounts
            .map((account) => ({ ...account, snapshots: account.snapshots.filter((s) => dates.has(s.date)) }))
            .filter((account) => account.snapshots.length > 0),
        }),
      };
      await db.outbox.add({
        batchId,
        createdAt: context.now(),
        batch: half,
        dates: [...dates],
        failures: 0,
        nextAttemptAt: context.now(),
      });
    }
    await log(context, item, 'split', 413, `${error ?? 'HTTP 413'} — split in two and sent again.`);
    return true;
  });
  return split === true;
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

// ——— deletion ———

/** Sends one deletion request; confirmed only by the server's receipt. */
async function sendDeletion(
  context: BackgroundContext,
  request: DeletionRequestRecord,
  stop: AbortSignal,
): Promise<boolean> {
  const { db } = context;
  if (request.token === null) return false;
  await db.deletionRequests.update(request.id, { status: 'sent' });
  const answer = await send(
    context,
    `${request.backendUrl}/v1/installations/me`,
    { method: 'DELETE', headers: { authorization: `Bearer ${request.token}` } },
    stop,
  );
  const receipt = !('error' in answer) && answer.status === 200 ? deletionReceipt.safeParse(answer.body) : undefined;
  if (receipt?.success) {
    // The secret and the installation id are no longer needed; after a wipe, neither is the receipt's id. Read from
    // the stored record, not the one this drain started with: a wipe may have marked it meanwhile.
    await db.deletionRequests
      .where('id')
      .equals(request.id)
      .modify((stored) => {
        stored.status = 'confirmed';
        stored.token = null;
        stored.installationId = null;
        stored.receiptId = stored.fromWipe ? null : receipt.data.receiptId;
        stored.deletedAt = receipt.data.deletedAt;
        stored.deleted = receipt.data.deleted;
        stored.lastError = null;
      });
    return true;
  }
  const failures = request.failures + 1;
  const retryAfter = 'error' in answer ? undefined : answer.retryAfterMs;
  await db.deletionRequests.update(request.id, {
    failures,
    nextAttemptAt: context.now() + retryDelayMs(failures, context.network.random(), retryAfter),
    lastError: deletionFailure(answer),
  });
  return false;
}

function deletionFailure(answer: Answer): string {
  if ('error' in answer) return answer.error;
  if (answer.status === 200) return 'The backend answered without a deletion receipt; asking again.';
  if (answer.status === 401)
    return 'HTTP 401: the backend does not know this identity and gave no receipt; asking again.';
  return describeFailure(answer.body, answer.status) ?? `HTTP ${answer.status}`;
}

function deletionRequestFor(
  context: BackgroundContext,
  identity: SyncCredentialsRecord,
  status: 'queued' | 'held',
  fromWipe = false,
): DeletionRequestRecord {
  return {
    id: context.network.newId(),
    requestedAt: context.now(),
    backendUrl: identity.backendUrl,
    installationId: identity.installationId,
    token: identity.token,
    status,
    failures: 0,
    nextAttemptAt: context.now(),
    lastError: null,
    receiptId: null,
    deletedAt: null,
    ...(fromWipe && { fromWipe: true }),
  };
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
 * Asks every backend that holds data of this extension to delete it: the current identity's (forgotten, so later
 * uploads start a new pseudonymous one) and those kept at the person's choice when they changed backend. Uploads in
 * flight are stopped first; pending batches are purged (they were for the old identity), and every finished day
 * becomes due again — under the new identity, if uploading is still allowed. With `fromWipe`, no id of the
 * installation is kept once the deletions are confirmed. Answers whether anything was queued.
 */
export async function requestRemoteDeletion(
  context: BackgroundContext,
  { fromWipe = false, alsoClear = [] }: { fromWipe?: boolean; alsoClear?: readonly string[] } = {},
): Promise<boolean> {
  const { db } = context;
  stopUploads(context);
  const cleared = [...pendingUploadTables, ...alsoClear];
  const queuedAny = await db.transaction(
    'rw',
    [db.syncCredentials, db.deletionRequests, ...cleared.map((t) => db.table(t))],
    async () => {
      await Promise.all(cleared.map((table) => db.table(table).clear()));
      const held = await db.deletionRequests.where('status').equals('held').toArray();
      for (const request of held)
        await db.deletionRequests.update(request.id, { status: 'queued', nextAttemptAt: context.now() });
      if (fromWipe) {
        await db.deletionRequests.toCollection().modify((request) => {
          request.fromWipe = true;
          if (request.status === 'confirmed') request.receiptId = null;
        });
      }
      const identity = await db.syncCredentials.get('current');
      if (identity) {
        await db.syncCredentials.delete('current');
        await db.deletionRequests.add(deletionRequestFor(context, identity, 'queued', fromWipe));
      }
      return identity !== undefined || held.length > 0;
    },
  );
  await publishUninstallUrl(context);
  return queuedAny;
}

export type BackendChange = { backendUrl: string | null; oldData: 'deleted' | 'kept' | 'none' };

/**
 * Sets or clears the backend. What the old backend holds is not abandoned: a deletion request with the old identity is
 * queued (and sent at once), unless the person explicitly chose to keep it there — then it is held, and "Delete my data
 * on the server" or "Delete all my data" still reaches it. Uploads to the old backend stop at once; the new backend
 * gets a new identity and every finished day.
 */
export async function changeBackend(
  context: BackgroundContext,
  next: string | null,
  keepOldData: boolean,
): Promise<BackendChange> {
  const { db } = context;
  const current = await backendUrl(context);
  if (current === next) return { backendUrl: next, oldData: 'none' };
  stopUploads(context);
  const oldData = await db.transaction(
    'rw',
    [db.syncConfig, db.syncCredentials, db.deletionRequests, ...pendingUploadTables.map((t) => db.table(t))],
    async () => {
      const identity = await db.syncCredentials.get('current');
      if (identity) {
        await db.syncCredentials.delete('current');
        await db.deletionRequests.add(deletionRequestFor(context, identity, keepOldData ? 'held' : 'queued'));
      }
      await Promise.all(pendingUploadTables.map((table) => db.table(table).clear()));
      if (next === null) await db.syncConfig.delete('current');
      else await db.syncConfig.put({ id: 'current', backendUrl: next });
      if (!identity) return 'none' as const;
      return keepOldData ? ('kept' as const) : ('deleted' as const);
    },
  );
  await publishUninstallUrl(context);
  return { backendUrl: next, oldData };
}
