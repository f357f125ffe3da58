/**
 * The extension's sync against the real reference server on loopback, with faults injected between them: server
 * down, 500s, 429 with Retry-After, answers lost after the server stored the batch (connection reset), 400 and 401.
 * Whatever happens, every finished day arrives exactly once after recovery, and withdrawal deletes it all.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeConsent } from '../../src/background/consent';
import { wipeData } from '../../src/background/data';
import { routeMessage } from '../../src/background/router';
import { drain } from '../../src/background/sync/sync';
import { installationData } from '../../src/shared/upload';
import { makeContext, own, type TestContext } from '../unit/helpers/context';
import { makeDay, makeSnapshot } from '../unit/helpers/records';
import { startServer, type TestServer } from './helpers';

const page = { id: own.id, url: `${own.origin}/src/options/index.html`, tab: { id: 2 }, frameId: 0 };

let server: TestServer;
let backend: string;
let context: TestContext;
/** Faults to inject, in order, into the next uploads and deletions (registration is left alone). */
let faults: Array<
  'down' | 'reset-after-delivery' | 'slow' | 'timeout' | 'withdraw-in-flight' | { status: number; retryAfter?: string }
>;
let requests: string[];

beforeEach(async () => {
  server = await startServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  backend = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  context = makeContext('Europe/Berlin');
  faults = [];
  requests = [];
  context.network.fetch = async (url, init) => {
    requests.push(`${init.method} ${new URL(url).pathname}`);
    const fault = new URL(url).pathname === '/v1/installations' ? undefined : faults.shift();
    if (fault === 'down') throw new TypeError('fetch failed: connect ECONNREFUSED');
    // What AbortSignal.timeout produces when the 25 s limit passes (waiting that long has no place in a unit test).
    if (fault === 'timeout') throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, 300));
    if (fault === 'withdraw-in-flight') await changeConsent(context, { uploadUsage: false }, 'popup');
    if (typeof fault === 'object') {
      const headers = fault.retryAfter ? { 'Retry-After': fault.retryAfter } : undefined;
      return new Response(JSON.stringify({ error: { code: 'internal', message: 'injected' } }), {
        status: fault.status,
        headers,
      });
    }
    const response = await fetch(url, init);
    if (fault === 'reset-after-delivery') throw new TypeError('fetch failed: socket hang up');
    return response;
  };
  await changeConsent(context, { usage: true, account: true, uploadUsage: true }, 'onboarding');
  expect(await routeMessage({ type: 'sync.configure', backendUrl: backend }, page, context)).toMatchObject({
    ok: true,
  });
  // Three finished days (the clock stands on 25 November) and today, which is not finished.
  await context.db.days.bulkAdd(['2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25'].map((date) => makeDay(date)));
  await context.db.accountSnapshots.add(makeSnapshot('maya.rivers', '2026-11-24'));
});

afterEach(async () => {
  await server.close();
  await context.db.delete();
});

async function serverDays(): Promise<string[]> {
  const identity = await context.db.syncCredentials.get('current');
  if (!identity) return [];
  const response = await server.app.inject({
    method: 'GET',
    url: '/v1/installations/me/data',
    headers: { authorization: `Bearer ${identity.token}` },
  });
  return installationData
    .parse(response.json())
    .days.map((day) => day.date)
    .sort();
}

/** Lets due retries become due, as the alarm would find them later. */
function later(ms = 7 * 3_600_000) {
  context.clock.now += ms;
}

describe('sync with the reference server', () => {
  it('uploads every finished day once, and today not yet', async () => {
    expect(await drain(context)).toMatchObject({ sent: 1, failed: 0, remaining: 0 });
    expect(await serverDays()).toEqual(['2026-11-22', '2026-11-23', '2026-11-24']);
    expect(await drain(context)).toMatchObject({ sent: 0, remaining: 0 });
    expect((await context.db.uploadLog.toArray()).map((entry) => entry.outcome)).toEqual(['sent']);
  });

  it('sends accounts only with uploadAccount', async () => {
    await drain(context);
    const identity = await context.db.syncCredentials.get('current');
    const data = await server.app.inject({
      method: 'GET',
      url: '/v1/installations/me/data',
      headers: { authorization: `Bearer ${identity?.token}` },
    });
    expect(installationData.parse(data.json()).accounts).toEqual([]);
  });

  it('recovers from a server that is down, then answers 500, then 429 with Retry-After', async () => {
    faults = ['down'];
    expect(await drain(context)).toMatchObject({ sent: 0, failed: 1 });
    later(60_000);
    faults = [{ status: 500 }];
    expect(await drain(context)).toMatchObject({ sent: 0, failed: 1 });
    later(120_000);
    faults = [{ status: 429, retryAfter: '3600' }];
    await drain(context);
    const [item] = await context.db.outbox.toArray();
    expect(item?.nextAttemptAt).toBeGreaterThanOrEqual(context.clock.now + 3_600_000);
    expect(await drain(context)).toMatchObject({ sent: 0, failed: 0 }); // not due yet
    later(3_601_000);
    expect(await drain(context)).toMatchObject({ sent: 1, remaining: 0 });
    expect(await serverDays()).toEqual(['2026-11-22', '2026-11-23', '2026-11-24']);
  });

  it('stops a drain after three failures instead of hammering a broken server', async () => {
    await context.db.days.bulkAdd(
      Array.from({ length: 100 }, (_, index) =>
        makeDay(new Date(Date.UTC(2026, 0, 1 + index)).toISOString().slice(0, 10)),
      ),
    );
    faults = [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }];
    const result = await drain(context);
    expect(result.failed).toBe(3);
    expect(requests.filter((request) => request === 'POST /v1/uploads')).toHaveLength(3);
  });

  it('counts a batch delivered but whose answer was lost only once (the server dedupes by batch id)', async () => {
    await drain(context); // registers, sends
    await context.db.days.put(makeDay('2026-11-24', 42_000)); // a late correction of a finished day
    faults = ['reset-after-delivery'];
    expect(await drain(context)).toMatchObject({ failed: 1 });
    later();
    expect(await drain(context)).toMatchObject({ sent: 1 });
    const outcomes = (await context.db.uploadLog.toArray()).map((entry) => entry.outcome);
    expect(outcomes).toEqual(['sent', 'retrying', 'duplicate']);
    expect(await serverDays()).toEqual(['2026-11-22', '2026-11-23', '2026-11-24']);
  });

  it('drops a batch the server refuses (400), counts it and shows why', async () => {
    faults = [{ status: 400 }];
    expect(await drain(context)).toMatchObject({ dropped: 1, remaining: 0 });
    const [entry] = await context.db.uploadLog.toArray();
    expect(entry).toMatchObject({ outcome: 'dropped', status: 400, error: 'HTTP 400: injected' });
  });

  it('holds everything while a policy update awaits review', async () => {
    context.policyHistory = [
      ...context.policyHistory,
      { version: 2, publishedOn: '2027-01-01', changesCollection: true, summary: 'Adds something.' },
    ];
    expect(await drain(context)).toMatchObject({ sent: 0, remaining: 0 });
    expect(requests).toEqual([]);
  });

  it('withdrawing uploadUsage deletes everything on the server, shows the receipt and starts a new identity', async () => {
    await drain(context);
    const before = await context.db.syncCredentials.get('current');
    await changeConsent(context, { uploadUsage: false }, 'options');
    expect(await context.db.syncCredentials.get('current')).toBeUndefined();
    // The deletion is sent at once, without waiting for the next alarm.
    await vi.waitFor(async () =>
      expect((await context.db.deletionRequests.toArray())[0]).toMatchObject({
        status: 'confirmed',
        receiptId: expect.any(String),
      }),
    );
    const gone = await server.app.inject({
      method: 'GET',
      url: '/v1/installations/me/data',
      headers: { authorization: `Bearer ${before?.token}` },
    });
    expect(gone.statusCode).toBe(401);
    expect(await context.db.outbox.count()).toBe(0);
  });

  it('keeps retrying a deletion until the server confirms it, while uploads go on under a new identity', async () => {
    await drain(context);
    const old = await context.db.syncCredentials.get('current');
    faults = ['down'];
    expect(await routeMessage({ type: 'sync.deleteRemote' }, page, context)).toEqual({
      ok: true,
      value: { queued: true },
    });
    expect((await context.db.deletionRequests.toArray())[0]).toMatchObject({ status: 'sent', failures: 1 });
    later();
    await drain(context);
    expect((await context.db.deletionRequests.toArray())[0]).toMatchObject({
      status: 'confirmed',
      receiptId: expect.any(String),
    });
    const fresh = await context.db.syncCredentials.get('current');
    expect(fresh?.installationId).not.toBe(old?.installationId);
    expect(await serverDays()).toEqual(['2026-11-22', '2026-11-23', '2026-11-24']);
  });

  it('a wipe after uploads queues the remote deletion too', async () => {
    await drain(context);
    await wipeData(context, false, 'options');
    const [request] = await context.db.deletionRequests.toArray();
    expect(request?.status).toBe('queued');
    faults = ['down'];
    await drain(context);
    expect((await context.db.deletionRequests.toArray())[0]).toMatchObject({
      status: 'sent',
      lastError: expect.stringMatching(/ECONNREFUSED/),
    });
    later();
    await drain(context);
    expect((await context.db.deletionRequests.toArray())[0]?.status).toBe('confirmed');
  });

  it('points the uninstall URL at a deletion link, which deletes everything when opened', async () => {
    await drain(context);
    const identity = await context.db.syncCredentials.get('current');
    const uninstallUrl = context.platform.uninstallUrls.at(-1);
    expect(uninstallUrl).toBe(`${backend}/v1/uninstalled/${identity?.uninstallCode}`);
    // What the browser does after the extension is removed: open that page.
    const page = await fetch(uninstallUrl ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/has been deleted/);
    const gone = await server.app.inject({
      method: 'GET',
      url: '/v1/installations/me/data',
      headers: { authorization: `Bearer ${identity?.token}` },
    });
    expect(gone.statusCode).toBe(401);
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

  it('waits for a slow answer, and retries after a timeout', async () => {
    faults = ['timeout'];
    expect(await drain(context)).toMatchObject({ sent: 0, failed: 1 });
    expect((await context.db.uploadLog.toArray())[0]?.error).toMatch(/TimeoutError/);
    later(120_000);
    faults = ['slow'];
    expect(await drain(context)).toMatchObject({ sent: 1, remaining: 0 });
    expect(await serverDays()).toEqual(['2026-11-22', '2026-11-23', '2026-11-24']);
  });

  it('consent withdrawn while a batch is in flight: what arrived is deleted, nothing more is sent', async () => {
    faults = ['withdraw-in-flight'];
    await drain(context);
    await vi.waitFor(async () => expect((await context.db.deletionRequests.toArray())[0]?.status).toBe('confirmed'));
    const deletedIdentity = (await context.db.deletionRequests.toArray())[0];
    const gone = await server.app.inject({
      method: 'GET',
      url: '/v1/installations/me/data',
      headers: { authorization: `Bearer ${deletedIdentity?.token}` },
    });
    expect(gone.statusCode).toBe(401);
    later();
    await drain(context);
    expect(await context.db.outbox.count()).toBe(0);
    expect(requests.filter((request) => request === 'POST /v1/uploads')).toHaveLength(1);
  });
});
