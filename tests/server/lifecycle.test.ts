/**
 * How installations come and go apart from a person's own deletion: the registration limit per IP address, and the
 * expiry of installations that never uploaded (at start, every hour, and through the store method).
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/app';
import { openStore } from '../../server/store';
import { apiError, deletionReceipt } from '../../src/shared/contracts/upload';
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

let server: TestServer | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

const hour = 3_600_000;

describe('registration limit', () => {
  it('allows a few registrations per IP address and window, then 429 with Retry-After', async () => {
    server = await startServer({ rateLimits: { registrationsPerIp: 3, registrationWindowSeconds: 600 } });
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
    server = await startServer();
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

describe('expiry of installations that never uploaded', () => {
  function tombstoneCount(databasePath: string): number {
    const db = new Database(databasePath, { readonly: true });
    const { n } = db.prepare('SELECT count(*) AS n FROM tombstones').get() as { n: number };
    db.close();
    return n;
  }

  it('deletes, through the store method, unused installations older than the cut-off and keeps the rest', async () => {
    server = await startServer();
    const { app, databasePath } = server;
    const unused = await createInstallation(app);
    const used = await createInstallation(app);
    await upload(app, used.token, makeBatch([makeDay('2026-11-24')]));

    const store = openStore(databasePath);
    try {
      const now = Date.now();
      const iso = (ms: number) => new Date(ms).toISOString();
      // Created less than a day ago: kept.
      expect(store.expireUnused(iso(now - 24 * hour), iso(now), iso(now + 30 * 24 * hour))).toBe(0);
      // With the cut-off after their creation: the unused one goes, the one that uploaded stays.
      expect(store.expireUnused(iso(now + 1000), iso(now), iso(now + 30 * 24 * hour))).toBe(1);
    } finally {
      store.close();
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
    server = await startServer();
    const { databasePath } = server;
    const unused = await createInstallation(server.app);
    const used = await createInstallation(server.app);
    await upload(server.app, used.token, makeBatch([makeDay('2026-11-24')]));
    await server.app.close();

    // Restarted 23 hours later: too soon, with the default of 24 hours.
    const soon = await buildApp({ databasePath, now: () => new Date(Date.now() + 23 * hour) });
    expect((await readData(soon, unused.token)).statusCode).toBe(200);
    await soon.close();
    // With --expire-unused-hours 12, the same restart expires it.
    const later = await buildApp({ databasePath, expireUnusedHours: 12, now: () => new Date(Date.now() + 23 * hour) });
    try {
      expect((await readData(later, unused.token)).statusCode).toBe(401);
      expect((await readData(later, used.token)).statusCode).toBe(200);
    } finally {
      await later.close();
    }
  });

  it('sweeps every hour while it runs, stops sweeping when closed, and drops an expiry’s tombstone after 30 days', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = Date.now();
    server = await startServer({ now: () => new Date(now) });
    const { app, databasePath } = server;
    const unused = await createInstallation(app);
    now += 25 * hour;
    // Nothing happens between sweeps.
    expect((await readData(app, unused.token)).statusCode).toBe(200);
    vi.advanceTimersByTime(hour);
    expect((await readData(app, unused.token)).statusCode).toBe(401);
    expect(tombstoneCount(databasePath)).toBe(1);

    now += 31 * 24 * hour;
    vi.advanceTimersByTime(hour);
    expect(tombstoneCount(databasePath)).toBe(0);
    const deletion = await app.inject({ method: 'DELETE', url: '/v1/installations/me', headers: bearer(unused.token) });
    expect(deletion.statusCode).toBe(401);

    expect(vi.getTimerCount()).toBe(1);
    await app.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps the tombstone of a deletion the person asked for', async () => {
    let now = Date.now();
    server = await startServer({ now: () => new Date(now) });
    const { app, databasePath } = server;
    const { token } = await createInstallation(app);
    await app.inject({ method: 'DELETE', url: '/v1/installations/me', headers: bearer(token) });
    now += 400 * 24 * hour;
    const store = openStore(databasePath);
    store.expireUnused(
      new Date(now - 24 * hour).toISOString(),
      new Date(now).toISOString(),
      new Date(now).toISOString(),
    );
    store.close();
    expect(tombstoneCount(databasePath)).toBe(1);
    const hash = createHash('sha256').update(token).digest();
    const check = openStore(databasePath);
    expect(check.findReceipt(hash)?.deleted).toEqual({ days: 0, accountSnapshots: 0, batches: 0 });
    check.close();
  });
});
