/**
 * How installations come and go apart from a person's own deletion: the registration limit per IP address, and the
 * expiry of installations that never uploaded (at start, every hour, and through the store method).
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/app';
import { openStore } from '../../server/store';
import { apiError, deletionReceipt } from '../../src/shared/contracts/upload';
import { describeEachStore } from './databases';
import {
  bearer,
  createInstallation,
  makeBatch,
  makeDay,
  readData,
  startServer,
  type TestServer,
  upload,
} from './helpers';
import { rowsOf } from './inspect';

let server: TestServer | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

const hour = 3_600_000;

describeEachStore('registration limit', (kind) => {
  it('allows a few registrations per IP address and window, then 429 with Retry-After', async () => {
    server = await startServer({ rateLimits: { registrationsPerIp: 3, registrationWindowSeconds: 600 } }, kind);
    const { app } = server;
    const register = (remoteAddress: string) => app.inject({ method: 'POST', url: '/v1/installations', remoteAddress });
    for (let index = 0; index < 3; index += 1) expect((await register('203.0.113.1')).statusCode).toBe(201);

    const limited = await register('203.0.113.1');
    expect(limited.statusCode).toBe(429);
    expect(apiError.parse(limited.json()).error.code).toBe('rate-limited');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(590);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // Another address, and the other routes from the same address, are not affected.
    expect((await register('203.0.113.2')).statusCode).toBe(201);
    expect((await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.1' })).statusCode).toBe(200);
  });

  it('defaults to 20 per hour', async () => {
    server = await startServer({}, kind);
    const { app } = server;
    const statuses: number[] = [];
    for (let index = 0; index < 21; index += 1) {
      statuses.push(
        (await app.inject({ method: 'POST', url: '/v1/installations', remoteAddress: '198.51.100.7' })).statusCode,
      );
    }
    expect(statuses).toEqual([...Array.from({ length: 20 }, () => 201), 429]);
  });
});

async function tombstoneCount(at: TestServer): Promise<number> {
  return (await rowsOf(at, 'tombstones')).length;
}

describeEachStore('expiry of installations that never uploaded', (kind) => {
  it('deletes, through the store method, unused installations older than the cut-off and keeps the rest', async () => {
    server = await startServer({}, kind);
    const { app, database } = server;
    const unused = await createInstallation(app);
    const used = await createInstallation(app);
    await upload(app, used.token, makeBatch([makeDay('2026-11-24')]));

    const store = await openStore(database);
    try {
      const now = Date.now();
      const iso = (ms: number) => new Date(ms).toISOString();
      // Created less than a day ago: kept.
      expect(await store.expireUnused(iso(now - 24 * hour), iso(now), iso(now + 30 * 24 * hour))).toBe(0);
      // With the cut-off after their creation: the unused one goes, the one that uploaded stays.
      expect(await store.expireUnused(iso(now + 1000), iso(now), iso(now + 30 * 24 * hour))).toBe(1);
    } finally {
      await store.close();
    }
    expect((await readData(app, unused.token)).statusCode).toBe(401);
    expect((await upload(app, unused.token, makeBatch())).statusCode).toBe(401);
    expect((await readData(app, used.token)).json().days).toHaveLength(1);
    // A deletion the extension still sends for it is confirmed with a receipt: there was nothing to delete.
    const deletion = await app.inject({ method: 'DELETE', url: '/v1/installations/me', headers: bearer(unused.token) });
    expect(deletion.statusCode).toBe(200);
    expect(deletionReceipt.parse(deletion.json()).deleted).toEqual({ days: 0, accountSnapshots: 0, batches: 0 });
  });

  it('sweeps when the server starts: unused installations older than --expire-unused-hours', async () => {
    server = await startServer({}, kind);
    const { database } = server;
    const unused = await createInstallation(server.app);
    const used = await createInstallation(server.app);
    await upload(server.app, used.token, makeBatch([makeDay('2026-11-24')]));
    await server.app.close();

    // Restarted 23 hours later: too soon, with the default of 24 hours.
    const soon = await buildApp({ database, now: () => new Date(Date.now() + 23 * hour) });
    expect((await readData(soon, unused.token)).statusCode).toBe(200);
    await soon.close();
    // With --expire-unused-hours 12, the same restart expires it.
    const later = await buildApp({ database, expireUnusedHours: 12, now: () => new Date(Date.now() + 23 * hour) });
    try {
      expect((await readData(later, unused.token)).statusCode).toBe(401);
      expect((await readData(later, used.token)).statusCode).toBe(200);
    } finally {
      await later.close();
    }
  });

  it('keeps the tombstone of a deletion the person asked for', async () => {
    let now = Date.now();
    server = await startServer({ now: () => new Date(now) }, kind);
    const { app, database } = server;
    const { token } = await createInstallation(app);
    await app.inject({ method: 'DELETE', url: '/v1/installations/me', headers: bearer(token) });
    now += 400 * 24 * hour;
    const store = await openStore(database);
    await store.expireUnused(
      new Date(now - 24 * hour).toISOString(),
      new Date(now).toISOString(),
      new Date(now).toISOString(),
    );
    expect(await tombstoneCount(server)).toBe(1);
    const hash = createHash('sha256').update(token).digest();
    expect((await store.findReceipt(hash))?.deleted).toEqual({ days: 0, accountSnapshots: 0, batches: 0 });
    await store.close();
  });
});

describe('the hourly sweep', () => {
  // The timing is the app's, whatever the store: SQLite's synchronous writes let the test see a sweep's effect at once.
  it('sweeps every hour while it runs, stops sweeping when closed, and drops an expiry’s tombstone after 30 days', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = Date.now();
    server = await startServer({ now: () => new Date(now) });
    const { app } = server;
    const unused = await createInstallation(app);
    now += 25 * hour;
    // Nothing happens between sweeps.
    expect((await readData(app, unused.token)).statusCode).toBe(200);
    vi.advanceTimersByTime(hour);
    expect((await readData(app, unused.token)).statusCode).toBe(401);
    expect(await tombstoneCount(server)).toBe(1);

    now += 31 * 24 * hour;
    vi.advanceTimersByTime(hour);
    expect(await tombstoneCount(server)).toBe(0);
    const deletion = await app.inject({ method: 'DELETE', url: '/v1/installations/me', headers: bearer(unused.token) });
    expect(deletion.statusCode).toBe(401);

    expect(vi.getTimerCount()).toBe(1);
    await app.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describeEachStore('server-side retention (--retain-days)', (kind) => {
  it('is off by default: a day of any age stays until the installation deletes it', async () => {
    server = await startServer({ now: () => new Date('2030-01-01T00:00:00Z') }, kind);
    const { token } = await createInstallation(server.app);
    await upload(server.app, token, makeBatch([makeDay('2026-11-24')]));
    await server.app.close();
    const restarted = await buildApp({ database: server.database, now: () => new Date('2036-01-01T00:00:00Z') });
    try {
      expect((await readData(restarted, token)).json().days).toHaveLength(1);
    } finally {
      await restarted.close();
    }
  });

  it('deletes the days older than the setting at start and at every sweep, and keeps the rest', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = Date.parse('2026-11-25T12:00:00Z');
    try {
      server = await startServer({ retainDays: 30, now: () => new Date(now) }, kind);
      const { app } = server;
      const { token } = await createInstallation(app);
      const dates = ['2026-10-20', '2026-10-26', '2026-11-24'];
      expect((await upload(app, token, makeBatch(dates.map((date) => makeDay(date))))).statusCode).toBe(200);
      const stored = async () => ((await readData(app, token)).json().days as { date: string }[]).map((d) => d.date);
      expect(await stored()).toEqual(dates);
      // An hour later the sweep keeps the last 30 days: 2026-10-26 on.
      now += hour;
      vi.advanceTimersByTime(hour);
      await vi.waitFor(async () => expect(await stored()).toEqual(['2026-10-26', '2026-11-24']));
      // A month on, only the newest day is left.
      now += 20 * 24 * hour;
      vi.advanceTimersByTime(hour);
      await vi.waitFor(async () => expect(await stored()).toEqual(['2026-11-24']));
    } finally {
      vi.useRealTimers();
    }
  });
});
