import { afterEach, describe, expect, it } from 'vitest';
import type { StoreKind } from '../../server/config';
import { apiError } from '../../src/shared/contracts/upload';
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

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof startServer>[0] = {}, kind: StoreKind = 'sqlite'): Promise<TestServer> {
  server = await startServer(options, kind);
  return server;
}

const valid = makeBatch([makeDay('2026-11-24')]);
const day = makeDay('2026-11-25');
const hostile: [string, unknown, number][] = [
  ['invalid JSON', '{"schemaVersion": 1,', 400],
  ['a JSON array', '[1, 2, 3]', 400],
  ['JSON null', 'null', 400],
  ['wrong types', { ...valid, days: [{ ...day, activeMs: 'a lot' }] }, 400],
  ['a negative count', { ...valid, days: [{ ...day, sessions: -1 }] }, 400],
  ['23 hours', { ...valid, days: [{ ...day, hours: day.hours.slice(1) }] }, 400],
  ['an impossible date', { ...valid, days: [{ ...day, date: '2026-02-30' }] }, 400],
  ['an unknown time zone', { ...valid, days: [{ ...day, timeZone: 'Mars/Olympus_Mons' }] }, 400],
  ['a huge string', { ...valid, days: [{ ...day, timeZone: 'x'.repeat(900_000) }] }, 400],
  ['a huge hashtag', { ...valid, days: [{ ...day, hashtags: { seen: { ['y'.repeat(5000)]: 1 }, used: {} } }] }, 400],
  ['deep nesting', `{"days": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`, 400],
  ['deeply nested objects', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`, 400],
  ['a __proto__ key', `{"__proto__": {"polluted": true}, "batchId": "${valid.batchId}"}`, 400],
  [
    'a __proto__ hashtag',
    JSON.stringify({ ...valid, days: [day] }).replace('"seen":{', '"seen":{"__proto__":{"polluted":true},'),
    400,
  ],
  ['a constructor.prototype key', `{"constructor": {"prototype": {"polluted": true}}}`, 400],
  ['a duplicated date', { ...valid, days: [day, day] }, 400],
  ['no uploadUsage scope', { ...valid, scopes: { ...valid.scopes, uploadUsage: false } }, 400],
  ['a newer schema version than the server knows', { ...valid, schemaVersion: 3 }, 400],
  ['schema version 0', { ...valid, schemaVersion: 0 }, 400],
  ['version-2 days without a revision', { ...valid, schemaVersion: 2 }, 400],
  [
    'an environment time zone that is not IANA',
    { ...valid, environment: { ...valid.environment, timeZone: 'CEST' } },
    400,
  ],
  ['uploadUsage without usage', { ...valid, scopes: { ...valid.scopes, usage: false } }, 400],
  [
    'uploadAccount without account',
    { ...valid, scopes: { usage: true, account: false, uploadUsage: true, uploadAccount: true } },
    400,
  ],
  [
    'uploadAccount without uploadUsage',
    { ...valid, scopes: { usage: true, account: true, uploadUsage: false, uploadAccount: true } },
    400,
  ],
  ['a day far in the future', { ...valid, days: [{ ...day, date: '2099-01-01' }] }, 400],
  [
    'a snapshot far in the future',
    {
      ...valid,
      scopes: { usage: true, account: true, uploadUsage: true, uploadAccount: true },
      accounts: [
        {
          username: 'maya.rivers',
          snapshots: [
            {
              date: '2099-01-01',
              observedAt: '2099-01-01T12:00:00.000Z',
              followers: null,
              following: null,
              posts: null,
            },
          ],
        },
      ],
    },
    400,
  ],
  ['401 days', { ...valid, days: Array.from({ length: 401 }, () => day) }, 400],
  ['a 10 MB body', { ...valid, padding: 'z'.repeat(10 * 1024 * 1024) }, 413],
];

describe('malformed and hostile uploads', () => {
  it.each(hostile)('answers %s with a clear 4xx, stays up and changes nothing', async (_name, body, status) => {
    const { app } = await start();
    const { token } = await createInstallation(app);
    await upload(app, token, valid);
    const before = (await readData(app, token)).json();

    // A batch id of its own, so a well-formed body is refused for what the case breaks, not for a reused id.
    const other = valid.batchId.replace('batch', 'other');
    const sent = typeof body === 'object' && body !== null ? { ...body, batchId: other } : body;
    const response = await upload(app, token, sent, { 'idempotency-key': other });
    expect(response.statusCode).toBe(status);
    const { error } = apiError.parse(response.json());
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.message.length).toBeLessThan(500);

    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await readData(app, token)).json()).toEqual(before);
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });

  it('names the first problems in a schema failure', async () => {
    const { app } = await start();
    const { token } = await createInstallation(app);
    const response = await upload(app, token, { ...valid, days: [{ ...day, activeMs: 'a lot', sessions: -1 }] });
    expect(response.json().error.message).toMatch(/^body\.days\[0\]\.activeMs: .*; body\.days\[0\]\.sessions: /);
  });

  it('answers a non-JSON content type with 415', async () => {
    const { app } = await start();
    const { token } = await createInstallation(app);
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await upload(app, token, valid, { 'content-type': contentType });
      expect(response.statusCode).toBe(415);
      expect(apiError.parse(response.json()).error.code).toBe('unsupported-media-type');
    }
  });

  it('answers a body over the configured limit with 413', async () => {
    const { app } = await start({ bodyLimit: 4096 });
    const { token } = await createInstallation(app);
    expect((await upload(app, token, makeBatch([makeDay('2026-11-24')]))).statusCode).toBe(200);
    const days = Array.from({ length: 20 }, (_, index) => makeDay(`2026-11-${String(index + 1).padStart(2, '0')}`));
    const response = await upload(app, token, makeBatch(days));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({
      error: { code: 'payload-too-large', message: 'the body is larger than 4096 bytes' },
    });
  });

  it('answers a URL it cannot decode with 400', async () => {
    const { app } = await start();
    const response = await app.inject({ method: 'GET', url: '/%zz' });
    expect(response.statusCode).toBe(400);
    expect(apiError.parse(response.json()).error.code).toBe('bad-request');
  });
});

// With PostgreSQL the counters are in the database (shared by every instance); with SQLite in the server's memory.
describeEachStore('rate limits', (kind) => {
  it('limits requests per installation, with Retry-After, without touching another installation', async () => {
    const { app } = await start({ rateLimits: { perInstallation: 2, windowSeconds: 30 } }, kind);
    const a = await createInstallation(app);
    const b = await createInstallation(app);
    expect((await readData(app, a.token)).statusCode).toBe(200);
    expect((await readData(app, a.token)).statusCode).toBe(200);

    const limited = await upload(app, a.token, makeBatch());
    expect(limited.statusCode).toBe(429);
    expect(apiError.parse(limited.json()).error.code).toBe('rate-limited');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect((await readData(app, b.token)).statusCode).toBe(200);
    expect((await readData(app, b.token)).json().batches).toEqual([]);
  });

  it('limits requests per IP address on every route', async () => {
    const { app } = await start({ rateLimits: { perIp: 3 } }, kind);
    const fromA = { remoteAddress: '203.0.113.1' };
    for (let index = 0; index < 3; index += 1) {
      expect((await app.inject({ method: 'GET', url: '/healthz', ...fromA })).statusCode).toBe(200);
    }
    for (const request of [
      { method: 'GET', url: '/healthz' },
      { method: 'POST', url: '/v1/installations' },
      { method: 'GET', url: '/nowhere' },
    ] as const) {
      const limited = await app.inject({ ...request, ...fromA });
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect((await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.2' })).statusCode).toBe(200);
  });

  it('counts the IP limit before the token is checked', async () => {
    const { app } = await start({ rateLimits: { perIp: 2 } }, kind);
    const guess = bearer('B'.repeat(43));
    expect((await app.inject({ method: 'GET', url: '/v1/installations/me/data', headers: guess })).statusCode).toBe(
      401,
    );
    expect((await app.inject({ method: 'GET', url: '/v1/installations/me/data', headers: guess })).statusCode).toBe(
      401,
    );
    expect((await app.inject({ method: 'GET', url: '/v1/installations/me/data', headers: guess })).statusCode).toBe(
      429,
    );
  });
});
