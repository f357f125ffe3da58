/**
 * The extension's sync against the real reference server, over real sockets on loopback: the background's sync code
 * uses the real `fetch`, through a fault-injecting proxy (./proxy.ts) that holds, delays, cuts and answers requests.
 * Each test names the promise it protects. Whatever happens, every finished day arrives exactly once after recovery,
 * with its content as stored locally; a withdrawal, a backend change or a wipe leaves nothing on any backend.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeConsent } from '../../src/background/consent';
import { importData, wipeData } from '../../src/background/data';
import { routeMessage } from '../../src/background/router';
import { drain } from '../../src/background/sync/sync';
import { installationData } from '../../src/shared/contracts/upload';
import type { DayRecord } from '../../src/shared/storage/records';
import { buildDataset } from '../support/yearOfData';
import { makeContext, own, type TestContext } from '../unit/helpers/context';
import { makeDay, makeSnapshot } from '../unit/helpers/records';
import { startServer, type TestServer } from './helpers';
import { nothingHeld, rowsHeld as rowsHeldIn } from './inspect';
import { FaultyProxy } from './proxy';

const page = { id: own.id, url: `${own.origin}/src/options/index.html`, tab: { id: 2 }, frameId: 0 };
const finished = ['2026-11-22', '2026-11-23', '2026-11-24'];

let servers: TestServer[];
let proxies: FaultyProxy[];
let server: TestServer;
let proxy: FaultyProxy;
let context: TestContext;

async function backend(
  options: Parameters<typeof startServer>[0] = {},
): Promise<{ server: TestServer; proxy: FaultyProxy }> {
  const started = await startServer(options);
  const address = await started.app.listen({ host: '127.0.0.1', port: 0 });
  const fronted = await new FaultyProxy(address).start();
  servers.push(started);
  proxies.push(fronted);
  return { server: started, proxy: fronted };
}

async function configure(url: string, keepOldData?: boolean) {
  return routeMessage({ type: 'sync.configure', backendUrl: url, ...(keepOldData && { keepOldData }) }, page, context);
}

beforeEach(async () => {
  servers = [];
  proxies = [];
  ({ server, proxy } = await backend());
  context = makeContext('Europe/Berlin');
  context.network.fetch = (url, init) => fetch(url, init);
  await changeConsent(context, { usage: true, account: true, uploadUsage: true }, 'onboarding');
  expect(await configure(proxy.url)).toMatchObject({ ok: true });
  // Three finished days (the clock stands on 25 November) and today, which is not finished.
  await context.db.days.bulkAdd([...finished, '2026-11-25'].map((date) => makeDay(date)));
  await context.db.accountSnapshots.add(makeSnapshot('maya.rivers', '2026-11-24'));
});

afterEach(async () => {
  for (const fronted of proxies) await fronted.close();
  for (const started of servers) await started.close();
  await context.db.delete();
});

async function dataOf(at: TestServer, token: string | null | undefined) {
  const response = await at.app.inject({
    method: 'GET',
    url: '/v1/installations/me/data',
    headers: { authorization: `Bearer ${token}` },
  });
  return response.statusCode === 200 ? installationData.parse(response.json()) : undefined;
}

async function serverDays(at = server): Promise<string[]> {
  const identity = await context.db.syncCredentials.get('current');
  return ((await dataOf(at, identity?.token))?.days ?? []).map((day) => day.date).sort();
}

const rowsHeld = (at: TestServer) => rowsHeldIn(at.databasePath);

/** Lets due retries become due, as the alarm would find them later. */
function later(ms = 7 * 3_600_000) {
  context.clock.now += ms;
}

const outcomes = async () => (await context.db.uploadLog.toArray()).map((entry) => entry.outcome);
const uploadsSent = () => proxy.forwarded('POST /v1/uploads').length;

describe('sync over real sockets: the ordinary path and ordinary faults', () => {
  it('uploads every finished day once, gzip-compressed, and today not yet', async () => {
    expect(await drain(context)).toMatchObject({ sent: 1, failed: 0, remaining: 0 });
    expect(await serverDays()).toEqual(finished);
    expect(proxy.forwarded('POST /v1/uploads')[0]?.headers['content-encoding']).toBe('gzip');
    const requestsSoFar = proxy.seen.length;
    expect(await drain(context)).toMatchObject({ sent: 0, remaining: 0 });
    // An idle drain (the alarm, every five minutes) asks the backend nothing, not even its limits.
    expect(proxy.seen).toHaveLength(requestsSoFar);
    expect(await outcomes()).toEqual(['sent']);
  });

  it('sends account figures only with uploadAccount', async () => {
    await drain(context);
    const identity = await context.db.syncCredentials.get('current');
    expect((await dataOf(server, identity?.token))?.accounts).toEqual([]);
  });

  it('recovers from a server that is down, then answers 500, then 429 with Retry-After', async () => {
    proxy.inject('POST /v1/uploads', { kind: 'refuse' });
    expect(await drain(context)).toMatchObject({ sent: 0, failed: 1 });
    later(60_000);
    proxy.inject('POST /v1/uploads', { kind: 'answer', status: 500 });
    expect(await drain(context)).toMatchObject({ sent: 0, failed: 1 });
    later(120_000);
    proxy.inject('POST /v1/uploads', { kind: 'answer', status: 429, headers: { 'retry-after': '3600' } });
    await drain(context);
    const [item] = await context.db.outbox.toArray();
    expect(item?.nextAttemptAt).toBeGreaterThanOrEqual(context.clock.now + 3_600_000);
    expect(await drain(context)).toMatchObject({ sent: 0, failed: 0 }); // not due yet
    later(3_601_000);
    expect(await drain(context)).toMatchObject({ sent: 1, remaining: 0 });
    expect(await serverDays()).toEqual(finished);
  });

  it('stops a drain after three failures instead of hammering a broken server', async () => {
    const small = await backend({ decodedBodyLimit: 8_192 } as Parameters<typeof startServer>[0]);
    await configure(small.proxy.url);
    await context.db.days.bulkAdd(
      Array.from({ length: 60 }, (_, index) =>
        makeDay(new Date(Date.UTC(2026, 0, 1 + index)).toISOString().slice(0, 10)),
      ),
    );
    for (let i = 0; i < 5; i += 1) small.proxy.inject('POST /v1/uploads', { kind: 'answer', status: 503 });
    const result = await drain(context);
    expect(result.failed).toBe(3);
    expect(small.proxy.seen.filter((seen) => `${seen.method} ${seen.path}` === 'POST /v1/uploads')).toHaveLength(3);
  });

  it('counts a batch delivered but whose answer was lost only once (the server dedupes by batch id)', async () => {
    await drain(context);
    await context.db.days.put(makeDay('2026-11-24', 42_000)); // a late correction of a finished day
    proxy.inject('POST /v1/uploads', { kind: 'lose-answer' });
    expect(await drain(context)).toMatchObject({ failed: 1 });
    later();
    expect(await drain(context)).toMatchObject({ sent: 1 });
    expect(await outcomes()).toEqual(['sent', 'retrying', 'duplicate']);
    expect(await serverDays()).toEqual(finished);
  });

  it('drops a batch the server refuses (400), counts it and shows why', async () => {
    proxy.inject('POST /v1/uploads', {
      kind: 'answer',
      status: 400,
      body: { error: { code: 'bad-request', message: 'injected' } },
    });
    expect(await drain(context)).toMatchObject({ dropped: 1, remaining: 0 });
    const [entry] = await context.db.uploadLog.toArray();
    expect(entry).toMatchObject({ outcome: 'dropped', status: 400, error: 'HTTP 400: injected' });
  });

  it('holds everything while a policy update awaits review', async () => {
    // A version after every one shipped so far, which changes what is collected.
    const next = (context.policyHistory.at(-1)?.version ?? 0) + 1;
    context.policyHistory = [
      ...context.policyHistory,
      { version: next, publishedOn: '2027-01-01', changesCollection: true, summary: 'Adds something.' },
    ];
    expect(await drain(context)).toMatchObject({ sent: 0, remaining: 0 });
    expect(proxy.seen).toEqual([]);
  });

  it('waits for a slow answer', async () => {
    proxy.inject('POST /v1/uploads', { kind: 'delay', ms: 400 });
    expect(await drain(context)).toMatchObject({ sent: 1, remaining: 0 });
    expect(await serverDays()).toEqual(finished);
  });
});

describe('withdrawal stops everything at once (promise: withdrawal stops upload; deletion covers what was sent)', () => {
  it('a withdrawal during a multi-batch drain aborts the upload in flight and every later one, and registers nothing', async () => {
    const small = await backend({ decodedBodyLimit: 8_192 } as Parameters<typeof startServer>[0]);
    ({ server, proxy } = small);
    await configure(proxy.url);
    await context.db.days.bulkAdd(
      Array.from({ length: 40 }, (_, index) =>
        makeDay(new Date(Date.UTC(2026, 9, 1 + index)).toISOString().slice(0, 10)),
      ),
    );
    // The first batch goes through; the second is held at the proxy, in flight, while the person withdraws.
    proxy.inject('POST /v1/uploads', { kind: 'delay', ms: 0 });
    // Faults are used in order: the delay goes to the first upload, the hold to the second.
    const held = proxy.hold('POST /v1/uploads');
    const draining = drain(context);
    await held.arrived;
    const identity = await context.db.syncCredentials.get('current');
    await changeConsent(context, { uploadUsage: false }, 'options');
    const result = await draining;
    expect(result.sent).toBe(1);
    held.release();
    await vi.waitFor(async () => expect((await context.db.deletionRequests.toArray())[0]?.status).toBe('confirmed'));
    const [request] = await context.db.deletionRequests.toArray();
    expect(request?.deleted?.days).toBeGreaterThan(0);
    // Let the held upload reach the server now: its identity is gone, so nothing of it is stored.
    await vi.waitFor(() => expect(proxy.forwarded('POST /v1/uploads')).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rowsHeld(server)).toEqual(nothingHeld);
    expect(proxy.forwarded('POST /v1/installations')).toHaveLength(1);
    expect(await dataOf(server, identity?.token)).toBeUndefined();
    later();
    await drain(context);
    expect(proxy.forwarded('POST /v1/uploads')).toHaveLength(2);
    expect(proxy.forwarded('POST /v1/installations')).toHaveLength(1);
    expect(await context.db.outbox.count()).toBe(0);
  });

  it('a withdrawal while the identity is being registered keeps no identity and deletes the one just made', async () => {
    const registering = proxy.hold('POST /v1/installations');
    const draining = drain(context);
    await registering.arrived;
    await changeConsent(context, { uploadUsage: false }, 'options');
    registering.release();
    await draining;
    expect(await context.db.syncCredentials.get('current')).toBeUndefined();
    expect(uploadsSent()).toBe(0);
    expect(rowsHeld(server)).toEqual(nothingHeld);
  });
});

describe('changing the backend never abandons the old one (promise: everything can be deleted remotely)', () => {
  it('deletes what the old backend holds, starts a new identity at the new one, and a wipe then leaves nothing on either', async () => {
    await drain(context);
    expect(rowsHeld(server).days).toBe(3);
    const second = await backend();
    expect(await configure(second.proxy.url)).toMatchObject({ ok: true, value: { oldData: 'deleted' } });
    await vi.waitFor(async () => expect((await context.db.deletionRequests.toArray())[0]?.status).toBe('confirmed'));
    expect(rowsHeld(server)).toEqual(nothingHeld);
    await drain(context);
    expect(await serverDays(second.server)).toEqual(finished);

    await wipeData(context, false, 'options');
    await drain(context);
    expect(rowsHeld(server)).toEqual(nothingHeld);
    expect(rowsHeld(second.server)).toEqual(nothingHeld);
  });

  it('keeps the old backend’s data only by explicit choice, and "Delete my data on the server" still reaches it', async () => {
    await drain(context);
    const second = await backend();
    expect(await configure(second.proxy.url, true)).toMatchObject({ ok: true, value: { oldData: 'kept' } });
    expect((await context.db.deletionRequests.toArray())[0]?.status).toBe('held');
    await drain(context);
    expect(rowsHeld(server).days).toBe(3);
    const atSecond = await context.db.syncCredentials.get('current');
    expect(await routeMessage({ type: 'sync.deleteRemote' }, page, context)).toEqual({
      ok: true,
      value: { queued: true },
    });
    expect(rowsHeld(server)).toEqual(nothingHeld);
    expect(await dataOf(second.server, atSecond?.token)).toBeUndefined();
    const statuses = (await context.db.deletionRequests.toArray()).map((request) => request.status);
    expect(statuses).toEqual(['confirmed', 'confirmed']);
  });

  it('clearing the backend deletes what it holds', async () => {
    await drain(context);
    await routeMessage({ type: 'sync.configure', backendUrl: null }, page, context);
    await vi.waitFor(async () => expect((await context.db.deletionRequests.toArray())[0]?.status).toBe('confirmed'));
    expect(rowsHeld(server)).toEqual(nothingHeld);
  });
});

describe('batches are sized by bytes (promise: every finished day arrives)', () => {
  it('a year of data arrives complete, each day equal to the local one, in batches under the server’s limit', async () => {
    await context.db.days.clear();
    const year = buildDataset({ days: 365, tags: 5000, accounts: 2, end: '2026-11-24', timeZone: 'Europe/Berlin' });
    expect(await importData(context, year, 'replace', false)).toMatchObject({ ok: true });
    const local = new Map((await context.db.days.toArray()).map((day) => [day.date, day]));
    expect(local.size).toBe(365);
    for (let pass = 0; pass < 10 && (await context.db.outbox.count()) + (pass === 0 ? 1 : 0) > 0; pass += 1) {
      await drain(context);
      later();
    }
    const identity = await context.db.syncCredentials.get('current');
    const stored = (await dataOf(server, identity?.token))?.days ?? [];
    expect(stored).toHaveLength(365);
    for (const day of stored) {
      const { receivedAt: _r, policyVersion: _p, environment: _e, revision, ...content } = day;
      expect(revision).toBeGreaterThan(0);
      expect(content).toEqual(local.get(day.date));
    }
    expect(await outcomes()).not.toContain('too-large');
    expect(proxy.forwarded('POST /v1/uploads').length).toBeGreaterThan(1);
  }, 120_000);

  it('a 413 splits the batch and sends both halves', async () => {
    proxy.inject('POST /v1/uploads', {
      kind: 'answer',
      status: 413,
      body: { error: { code: 'payload-too-large', message: 'injected' } },
    });
    await drain(context);
    expect(await serverDays()).toEqual(finished);
    expect(await outcomes()).toEqual(['split', 'sent', 'sent']);
  });

  it('a day that can never fit is reported in the upload log with the reason, and the others arrive', async () => {
    const huge: DayRecord = makeDay('2026-11-21', 600_000, {
      hashtags: {
        seen: Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`tag${String(i).padStart(5, '0')}`, i])),
        used: {},
      },
    });
    const small = await backend({ decodedBodyLimit: 16_384 } as Parameters<typeof startServer>[0]);
    ({ server, proxy } = small);
    await configure(proxy.url);
    await context.db.days.put(huge);
    await drain(context);
    expect(await serverDays()).toEqual(finished);
    const [entry] = (await context.db.uploadLog.toArray()).filter((e) => e.outcome === 'too-large');
    expect(entry).toMatchObject({ dates: ['2026-11-21'], error: expect.stringMatching(/bytes as JSON/) });
    await drain(context); // not reported again until the day changes
    expect((await outcomes()).filter((outcome) => outcome === 'too-large')).toHaveLength(1);
  });
});

describe('one drain at a time (promise: each day is sent once, under one identity)', () => {
  it('the alarm and "Sync now" at once register one identity and send each batch once', async () => {
    const results = await Promise.all([
      drain(context),
      routeMessage({ type: 'sync.now' }, page, context),
      drain(context),
    ]);
    expect(results[0]).toMatchObject({ sent: 1 });
    expect(proxy.forwarded('POST /v1/installations')).toHaveLength(1);
    expect(uploadsSent()).toBe(1);
    expect(await outcomes()).toEqual(['sent']);
    expect(await serverDays()).toEqual(finished);
  });
});

describe('revisions (promise: a correction is never undone by a late retry)', () => {
  it('an older version of a day retried after its correction does not overwrite it', async () => {
    proxy.inject('POST /v1/uploads', { kind: 'answer', status: 503 });
    await drain(context); // version 1 of the three days waits for its retry
    later(1_000);
    await context.db.days.put(makeDay('2026-11-24', 42_000)); // the correction, enqueued and sent first
    const [old] = await context.db.outbox.toArray();
    await drain(context);
    expect(uploadsSent()).toBe(1);
    // Now the older batch is due and goes out.
    later();
    await drain(context);
    expect(uploadsSent()).toBe(2);
    expect(await context.db.outbox.get(old?.seq ?? 0)).toBeUndefined();
    const identity = await context.db.syncCredentials.get('current');
    const stored = (await dataOf(server, identity?.token))?.days.find((day) => day.date === '2026-11-24');
    expect(stored?.activeMs).toBe(42_000);
  });
});

describe('corrections by hand (promise: an edited day reaches the backend corrected)', () => {
  const correct = (date: string, surface?: 'feed') =>
    routeMessage({ type: 'day.edit', date, ...(surface && { surface }) }, page, context);

  async function storedDay(date: string) {
    const identity = await context.db.syncCredentials.get('current');
    return (await dataOf(server, identity?.token))?.days.find((day) => day.date === date);
  }

  it('a surface removed from an uploaded day is sent again with a higher revision, and the backend keeps it', async () => {
    await drain(context);
    const before = await storedDay('2026-11-24');
    const untouched = await storedDay('2026-11-23');
    expect(before?.surfaces.feed).toBe(600_000);
    later(1_000);
    expect(await correct('2026-11-24', 'feed')).toMatchObject({ ok: true });
    expect(await drain(context)).toMatchObject({ sent: 1, remaining: 0 });
    const after = await storedDay('2026-11-24');
    expect(after).toMatchObject({ activeMs: 0, surfaces: { feed: 0 }, hashtagPageMs: { sourdough: 30_000 } });
    expect(after?.revision).toBeGreaterThan(before?.revision ?? Number.POSITIVE_INFINITY);
    // Only the corrected day went out again: the other two are as they were sent.
    expect(uploadsSent()).toBe(2);
    expect((await storedDay('2026-11-23'))?.revision).toBe(untouched?.revision);
  });

  it('a day deleted after it was uploaded is replaced on the backend by an empty day, once', async () => {
    await drain(context);
    later(1_000);
    expect(await correct('2026-11-23')).toMatchObject({ ok: true, value: { removedMs: 600_000 } });
    expect(await drain(context)).toMatchObject({ sent: 1 });
    expect(await storedDay('2026-11-23')).toMatchObject({
      activeMs: 0,
      sessions: 0,
      surfaces: { feed: 0 },
      hours: Array.from({ length: 24 }, () => 0),
      views: { posts: 0, reels: 0, stories: 0 },
      hashtags: { seen: {}, used: {} },
      hashtagPageMs: {},
    });
    expect(await serverDays()).toEqual(finished);
    // The empty day is sent once: the next drain has nothing to send.
    expect(await drain(context)).toMatchObject({ sent: 0 });
    expect(uploadsSent()).toBe(2);
  });

  it('a day deleted before it was ever uploaded is never sent', async () => {
    await correct('2026-11-22');
    await drain(context);
    expect(await serverDays()).toEqual(['2026-11-23', '2026-11-24']);
  });

  it('a day that retention removes from this device stays on the backend as it was sent', async () => {
    await context.db.days.add(makeDay('2026-09-01', 123_000));
    await drain(context);
    await routeMessage({ type: 'settings.set', retentionDays: 30 }, page, context);
    expect(await context.db.days.get('2026-09-01')).toBeUndefined();
    later(1_000);
    expect(await drain(context)).toMatchObject({ sent: 0 });
    expect((await storedDay('2026-09-01'))?.activeMs).toBe(123_000);
  });
});

describe('deletion is confirmed only by a receipt', () => {
  it('a 200 without a receipt is a failure that is retried and shown, and the real receipt confirms it', async () => {
    await drain(context);
    const old = await context.db.syncCredentials.get('current');
    proxy.inject('DELETE /v1/installations/me', { kind: 'answer', status: 200, body: {} });
    await routeMessage({ type: 'sync.deleteRemote' }, page, context);
    expect((await context.db.deletionRequests.toArray())[0]).toMatchObject({
      status: 'sent',
      failures: 1,
      lastError: expect.stringMatching(/without a deletion receipt/),
    });
    expect((await dataOf(server, old?.token))?.days).toHaveLength(3);
    later();
    await drain(context);
    expect((await context.db.deletionRequests.toArray())[0]).toMatchObject({
      status: 'confirmed',
      receiptId: expect.any(String),
      deleted: { days: 3, accountSnapshots: 0, batches: 1 },
      token: null,
    });
    expect(await dataOf(server, old?.token)).toBeUndefined();
  });

  it('a deletion whose answer was lost is confirmed by the same receipt when asked again', async () => {
    await drain(context);
    proxy.inject('DELETE /v1/installations/me', { kind: 'lose-answer' });
    await routeMessage({ type: 'sync.deleteRemote' }, page, context);
    expect((await context.db.deletionRequests.toArray())[0]?.status).toBe('sent');
    later();
    await drain(context);
    expect((await context.db.deletionRequests.toArray())[0]).toMatchObject({
      status: 'confirmed',
      deleted: { days: 3 },
    });
  });
});

describe('a 401 means the identity is gone (promise: nothing is dropped)', () => {
  it('keeps the days, registers a new identity while uploads are on, and sends everything again', async () => {
    await drain(context);
    const old = await context.db.syncCredentials.get('current');
    // The identity is deleted at the server behind the extension's back (its uninstall link was opened).
    expect((await fetch(`${proxy.url}/v1/uninstalled/${old?.uninstallCode}`)).status).toBe(200);
    await context.db.days.put(makeDay('2026-11-24', 42_000));
    await drain(context);
    const fresh = await context.db.syncCredentials.get('current');
    expect(fresh?.installationId).not.toBe(old?.installationId);
    expect(await serverDays()).toEqual(finished);
    const log = await context.db.uploadLog.toArray();
    expect(log.map((entry) => [entry.outcome, entry.status])).toContainEqual(['retrying', 401]);
    expect(await context.db.outbox.count()).toBe(0);
  });
});

describe('redirects are never followed (promise: uploads go only to the configured backend over HTTPS)', () => {
  it('a 307 to another origin sends nothing there and is shown as a failure', async () => {
    const elsewhere = await backend();
    proxy.inject('POST /v1/uploads', {
      kind: 'answer',
      status: 307,
      headers: { location: `${elsewhere.proxy.url}/v1/uploads` },
    });
    expect(await drain(context)).toMatchObject({ sent: 0, failed: 1 });
    expect(elsewhere.proxy.seen).toEqual([]);
    const [entry] = await context.db.uploadLog.toArray();
    expect(entry).toMatchObject({ outcome: 'retrying', error: expect.stringMatching(/redirect/) });
    later();
    expect(await drain(context)).toMatchObject({ sent: 1 });
  });
});

describe('a wipe leaves no trace of the installation (promise: everything can be deleted)', () => {
  it('after the remote deletion is confirmed, no log, token, id or batch remains — only counts and dates', async () => {
    await drain(context);
    await wipeData(context, false, 'options');
    await drain(context);
    expect(rowsHeld(server)).toEqual(nothingHeld);
    expect(await context.db.uploadLog.count()).toBe(0);
    expect(await context.db.outbox.count()).toBe(0);
    expect(await context.db.syncDays.count()).toBe(0);
    expect(await context.db.syncCredentials.count()).toBe(0);
    const requests = await context.db.deletionRequests.toArray();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      status: 'confirmed',
      token: null,
      installationId: null,
      receiptId: null,
      deleted: { days: 3, accountSnapshots: 0, batches: 1 },
      deletedAt: expect.any(String),
    });
    expect(context.platform.uninstallUrls.at(-1)).toBeNull();
  });
});

describe('a wipe while drains are running and waiting (promise: nothing is sent after a wipe)', () => {
  it('a drain waiting its turn finds nothing to send and registers nothing new', async () => {
    await drain(context);
    await context.db.days.put(makeDay('2026-11-24', 42_000));
    const held = proxy.hold('POST /v1/uploads');
    const running = drain(context);
    await held.arrived;
    const waiting = drain(context); // "Sync now" while the alarm's drain runs: it waits its turn
    await wipeData(context, false, 'options');
    held.release();
    await Promise.all([running, waiting]);
    await drain(context);
    expect(proxy.forwarded('POST /v1/installations')).toHaveLength(1);
    expect(await context.db.syncCredentials.count()).toBe(0);
    expect(rowsHeld(server)).toEqual(nothingHeld);
  });
});

describe('a wipe between an answer and its record (promise: a wipe leaves nothing behind)', () => {
  /**
   * Starts a wipe once the drain has read the answer to its upload and gone on to record it — the moment the extension
   * found in an end-to-end run, where a wipe cleared the log and the upload's "sent" row was written after it.
   */
  function wipeWhenAnswered(answer?: { status: number; body: unknown }): () => Promise<void> {
    let wiping: Promise<void> = Promise.resolve();
    context.network.fetch = async (url, init) => {
      const response = answer ? undefined : await fetch(url, init);
      if (!String(url).endsWith('/v1/uploads')) return response ?? fetch(url, init);
      const answered = new Response(response ? await response.text() : JSON.stringify(answer?.body), {
        status: response?.status ?? answer?.status ?? 500,
        headers: response?.headers ?? { 'content-type': 'application/json' },
      });
      const read = answered.json.bind(answered);
      answered.json = async () => {
        const body: unknown = await read();
        // A macrotask later: the drain has checked that it was not stopped and started writing what became of the batch.
        setTimeout(() => {
          wiping = wipeData(context, false, 'options');
        }, 0);
        return body;
      };
      return answered;
    };
    return () => wiping;
  }

  it('a batch the server took leaves no log row, batch or identity once the wipe is done', async () => {
    const wiped = wipeWhenAnswered();
    await drain(context);
    await wiped();
    context.network.fetch = (url, init) => fetch(url, init);
    await drain(context);
    expect(await context.db.uploadLog.count()).toBe(0);
    expect(await context.db.outbox.count()).toBe(0);
    expect(await context.db.syncCredentials.count()).toBe(0);
    expect(rowsHeld(server)).toEqual(nothingHeld);
  });

  it.each([
    ['retried (503)', { status: 503, body: { error: 'unavailable' } }],
    ['refused (400)', { status: 400, body: { error: 'bad' } }],
    ['too large, split in two (413)', { status: 413, body: { error: 'too large' } }],
    ['for an identity the server forgot (401)', { status: 401, body: { error: 'unknown' } }],
  ])('a batch %s leaves no log row and no batch to send once the wipe is done', async (_, answer) => {
    const wiped = wipeWhenAnswered(answer);
    await drain(context);
    await wiped();
    context.network.fetch = (url, init) => fetch(url, init);
    await drain(context);
    expect(await context.db.uploadLog.count()).toBe(0);
    expect(await context.db.outbox.count()).toBe(0);
    expect(uploadsSent()).toBe(0);
  });
});

describe('the uninstall link', () => {
  it('points the uninstall URL at a deletion link, which deletes everything when opened', async () => {
    await drain(context);
    const identity = await context.db.syncCredentials.get('current');
    const uninstallUrl = context.platform.uninstallUrls.at(-1);
    expect(uninstallUrl).toBe(`${proxy.url}/v1/uninstalled/${identity?.uninstallCode}`);
    const opened = await fetch(uninstallUrl ?? '');
    expect(opened.status).toBe(200);
    expect(await opened.text()).toMatch(/has been deleted/);
    expect(rowsHeld(server)).toEqual(nothingHeld);
    expect((await fetch(uninstallUrl ?? '')).status).toBe(404);
  });

  it('clears the uninstall URL when the identity is given up, and points it at the new identity after', async () => {
    await drain(context);
    const old = context.platform.uninstallUrls.at(-1);
    await routeMessage({ type: 'sync.deleteRemote' }, page, context);
    const after = context.platform.uninstallUrls.slice(context.platform.uninstallUrls.indexOf(old ?? '') + 1);
    expect(after[0]).toBeNull();
    expect(after.at(-1)).toMatch(/\/v1\/uninstalled\//);
    expect(after.at(-1)).not.toBe(old);
  });
});
