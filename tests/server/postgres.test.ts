/**
 * What only PostgreSQL does: days partitioned by month, and several server instances on one database behaving as one —
 * the rate limits and the registration limit counted in the database, checked with two instances listening on
 * loopback and real HTTP requests. The first test fails, saying how to get PostgreSQL, when the tests have none.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app';
import { openStore, type Store } from '../../server/store';
import { partitionedFrom } from '../../server/store-postgres';
import { installationCreated, type UploadDay } from '../../src/shared/contracts/upload';
import { newDatabase, postgresAdminUrl, queryPostgres, type TestDatabase } from './databases';
import {
  bearer,
  createInstallation,
  listen,
  makeBatchV2,
  makeDay,
  startServer,
  type TestServer,
  upload,
} from './helpers';
import { rowsOf } from './inspect';

describe('PostgreSQL for the tests', () => {
  it('is there (in CI .ci/run installs it)', () => {
    const postgres = inject('postgres');
    if ('missing' in postgres)
      throw new Error(`The PostgreSQL half of the server tests cannot run. ${postgres.missing}`);
    expect(postgres.url).toMatch(/^postgres(ql)?:\/\//);
  });
});

const hasPostgres = postgresAdminUrl() !== undefined;

let database: TestDatabase | undefined;
const servers: TestServer[] = [];
const stores: Store[] = [];
afterEach(async () => {
  // The second instance first: the first's close drops the database they share.
  for (const server of servers.splice(0).reverse()) await server.close();
  for (const store of stores.splice(0)) await store.close();
  await database?.drop();
  database = undefined;
});

/** Two server instances on one new database, each listening on its own loopback port. */
async function twoInstances(options: Parameters<typeof startServer>[0]) {
  const first = await startServer(options, 'postgres');
  servers.push(first);
  // The second opens the first's database; the first's `close` drops it once both are closed (afterEach).
  const app = await buildApp({ ...options, database: first.database });
  const second: TestServer = { ...first, app, close: () => app.close() };
  servers.push(second);
  return { first, second, urls: [await listen(first), await listen(second)] as const };
}

describe.skipIf(!hasPostgres)('days partitioned by date', () => {
  it('puts each day in its month’s partition, created when the month first arrives, older days in one', async () => {
    const server = await startServer({}, 'postgres');
    servers.push(server);
    const { token } = await createInstallation(server.app);
    const dates = ['2019-06-30', '2026-10-31', '2026-11-01', '2026-11-24'];
    const response = await upload(server.app, token, makeBatchV2(dates.map((date) => [makeDay(date), 1])));
    expect(response.json()).toMatchObject({ accepted: 4 });

    const placed = await queryPostgres<{ partition: string; date: string }>(
      server.database,
      'SELECT tableoid::regclass::text AS partition, date::text FROM days ORDER BY date',
    );
    expect(placed).toEqual([
      { partition: `days_before_${partitionedFrom.slice(0, 4)}`, date: '2019-06-30' },
      { partition: 'days_2026_10', date: '2026-10-31' },
      { partition: 'days_2026_11', date: '2026-11-01' },
      { partition: 'days_2026_11', date: '2026-11-24' },
    ]);
    const bounds = await queryPostgres<{ partition: string; bound: string }>(
      server.database,
      `SELECT c.relname AS partition, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'days'::regclass AND c.relname = 'days_2026_10'`,
    );
    expect(bounds).toEqual([{ partition: 'days_2026_10', bound: "FOR VALUES FROM ('2026-10-01') TO ('2026-11-01')" }]);
    // A query for one week reads that week's partition only.
    const plan = await queryPostgres<{ 'QUERY PLAN': string }>(
      server.database,
      "EXPLAIN SELECT count(*) FROM days WHERE date BETWEEN '2026-11-23' AND '2026-11-29'",
    );
    const scanned = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(scanned).toContain('days_2026_11');
    expect(scanned).not.toContain('days_2026_10');
  });

  it('has this month’s and next month’s partitions ready before any upload', async () => {
    database = await newDatabase('postgres');
    const store = await openStore(database.database);
    stores.push(store);
    await store.housekeeping();
    const month = new Date().toISOString().slice(0, 7);
    const following = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1))
      .toISOString()
      .slice(0, 7);
    const names = await queryPostgres<{ name: string }>(
      database.database,
      "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'days'::regclass",
    );
    expect(names.map((row) => row.name)).toEqual(
      expect.arrayContaining([`days_${month.replace('-', '_')}`, `days_${following.replace('-', '_')}`]),
    );
  });

  it('creates a month again when an operator dropped its partition while the server ran', async () => {
    const server = await startServer({}, 'postgres');
    servers.push(server);
    const { token } = await createInstallation(server.app);
    expect((await upload(server.app, token, makeBatchV2([[makeDay('2024-09-10'), 1]]))).statusCode).toBe(200);
    await queryPostgres(server.database, 'DROP TABLE days_2024_09');
    const again = await upload(server.app, token, makeBatchV2([[makeDay('2024-09-11'), 1]]));
    expect(again.json()).toEqual({ accepted: 1, duplicate: false, stale: 0 });
    const placed = await queryPostgres<{ partition: string }>(
      server.database,
      'SELECT tableoid::regclass::text AS partition FROM days',
    );
    expect(placed).toEqual([{ partition: 'days_2024_09' }]);
  });

  it('lets two instances create the same new months at the same time', async () => {
    const { first, second } = await twoInstances({});
    const a = await createInstallation(first.app);
    const b = await createInstallation(second.app);
    const days = ['2021-03-05', '2021-04-05', '2021-05-05'].map((date) => [makeDay(date), 1] as [UploadDay, number]);
    const answers = await Promise.all([
      upload(first.app, a.token, makeBatchV2(days)),
      upload(second.app, b.token, makeBatchV2([...days].reverse())),
    ]);
    expect(answers.map((answer) => answer.json())).toEqual([
      { accepted: 3, duplicate: false, stale: 0 },
      { accepted: 3, duplicate: false, stale: 0 },
    ]);
  });
});

describe.skipIf(!hasPostgres)('two server instances on one database', () => {
  it('share the registration limit: the fourth registration from one address is refused by either', async () => {
    const { urls } = await twoInstances({ rateLimits: { registrationsPerIp: 3, registrationWindowSeconds: 600 } });
    const register = (url: string) => fetch(`${url}/v1/installations`, { method: 'POST' });
    const statuses = [];
    for (const url of [urls[0], urls[1], urls[0]]) statuses.push((await register(url)).status);
    expect(statuses).toEqual([201, 201, 201]);
    for (const url of urls) {
      const refused = await register(url);
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(590);
      expect(retryAfter).toBeLessThanOrEqual(600);
    }
  });

  it('share the per-installation limit: requests with one token count together on both', async () => {
    const { urls } = await twoInstances({ rateLimits: { perInstallation: 3, windowSeconds: 60 } });
    const created = installationCreated.parse(
      await (await fetch(`${urls[0]}/v1/installations`, { method: 'POST' })).json(),
    );
    const read = (url: string) => fetch(`${url}/v1/installations/me/data`, { headers: bearer(created.token) });
    const statuses = [];
    for (const url of [urls[0], urls[1], urls[1], urls[0], urls[1]]) statuses.push((await read(url)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('share the per-address limit on every route', async () => {
    const { urls } = await twoInstances({ rateLimits: { perIp: 4 } });
    const statuses = [];
    for (const url of [urls[0], urls[1], urls[0], urls[1], urls[0], urls[1]]) {
      statuses.push((await fetch(`${url}/healthz`)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });
});

describe.skipIf(!hasPostgres)('the shared rate-limit counters', () => {
  it('count per key within a window, start again after it, and hold only a hash of the key', async () => {
    database = await newDatabase('postgres');
    const store = await openStore(database.database);
    stores.push(store);
    const counter = store.rateCounter;
    if (!counter) throw new Error('the PostgreSQL store offers no counters');
    expect(await counter.hit('ip:203.0.113.9', 60_000)).toMatchObject({ count: 1 });
    const second = await counter.hit('ip:203.0.113.9', 60_000);
    expect(second.count).toBe(2);
    expect(second.ttlMs).toBeGreaterThan(50_000);
    expect(second.ttlMs).toBeLessThanOrEqual(60_000);
    expect(await counter.hit('ip:203.0.113.10', 60_000)).toMatchObject({ count: 1 });
    const rows = await rowsOf({ kind: 'postgres', database: database.database }, 'rate_limits');
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toContain('203.0.113');

    // A window of 50 ms: over once it has passed, then counted from 1 again.
    await counter.hit('installation:short', 50);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await counter.hit('installation:short', 50)).toMatchObject({ count: 1 });
    // The upkeep drops the windows that have ended.
    await new Promise((resolve) => setTimeout(resolve, 80));
    await store.housekeeping();
    expect(await rowsOf({ kind: 'postgres', database: database.database }, 'rate_limits')).toHaveLength(2);
  });
});
