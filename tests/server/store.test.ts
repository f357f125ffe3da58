/**
 * The storage interface's contract (server/store.ts), checked against both implementations through the interface
 * alone: what the HTTP suites cannot reach directly — requests racing each other on one installation, the order of
 * what the right of access answers, any text the contract lets through, and (PostgreSQL) the shared rate-limit
 * counters.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store, type StoreOutcome } from '../../server/store';
import type { UploadBatch } from '../../src/shared/contracts/upload';
import { describeEachStore, newDatabase, type TestDatabase } from './databases';
import { makeBatch, makeBatchV2, makeDay } from './helpers';
import { rowsOf } from './inspect';

let database: TestDatabase | undefined;
const stores: Store[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await database?.drop();
  database = undefined;
});

const hash = (text: string) => createHash('sha256').update(text).digest();
const now = () => new Date().toISOString();

describeEachStore('the store', (kind) => {
  async function open(): Promise<Store> {
    database ??= await newDatabase(kind);
    const store = await openStore(database.database);
    stores.push(store);
    return store;
  }

  async function register(store: Store, name = randomBytes(8).toString('hex')) {
    const token = `token-${name}`;
    await store.createInstallation(`id-${name}`, hash(token), hash(`uninstall-${name}`), now());
    const installation = await store.findByTokenHash(hash(token));
    if (!installation) throw new Error('the installation just created is not there');
    return installation;
  }

  function send(store: Store, installation: Parameters<Store['storeBatch']>[0], batch: UploadBatch) {
    return store.storeBatch(installation, batch, hash(JSON.stringify(batch)), now());
  }

  it('finds an installation by its token hash only, and nothing for a token it never knew', async () => {
    const store = await open();
    const installation = await register(store, 'alpha');
    expect(installation).toMatchObject({ id: 'id-alpha', tokenHash: hash('token-alpha') });
    expect(await store.findByTokenHash(hash('token-beta'))).toBeUndefined();
    expect(await store.findReceipt(hash('token-alpha'))).toBeUndefined();
  });

  it('answers stored, duplicate, conflict and gone', async () => {
    const store = await open();
    const installation = await register(store);
    const batch = makeBatch([makeDay('2026-11-24')]);
    expect(await send(store, installation, batch)).toEqual({ kind: 'stored', accepted: 1, stale: 0 });
    expect(await send(store, installation, batch)).toEqual({ kind: 'duplicate', accepted: 1, stale: 0 });
    expect(await send(store, installation, { ...batch, days: [makeDay('2026-11-24', 1)] })).toEqual({
      kind: 'conflict',
    });
    const receipt = await store.delete(installation, now());
    expect(receipt?.deleted).toEqual({ days: 1, accountSnapshots: 0, batches: 1 });
    expect(await send(store, installation, makeBatch())).toEqual({ kind: 'gone' });
    expect(await store.read(installation)).toBeUndefined();
    // Deleted again (the first answer lost): the same receipt.
    expect(await store.delete(installation, now())).toEqual(receipt);
    expect(await store.findReceipt(installation.tokenHash)).toEqual(receipt);
  });

  it('stores one batch sent five times at once exactly once', async () => {
    const store = await open();
    const installation = await register(store);
    const batch = makeBatchV2([
      [makeDay('2026-11-23'), 1],
      [makeDay('2026-11-24'), 1],
    ]);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => send(store, installation, batch)));
    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
      'stored',
    ]);
    // Every duplicate answers the counts of the one stored, never a half-written batch's.
    for (const outcome of outcomes) expect(outcome).toMatchObject({ accepted: 2, stale: 0 });
    expect((await store.read(installation))?.batches).toHaveLength(1);
  });

  it('keeps the highest revision of each day when batches over the same days race, in any order', async () => {
    const store = await open();
    const installation = await register(store);
    const dates = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23'];
    // Twelve batches, each over all four days in its own order, revision r carrying activeMs r.
    const batches = Array.from({ length: 12 }, (_, revision) => {
      const order = revision % 2 === 0 ? dates : [...dates].reverse();
      return makeBatchV2(order.map((date) => [makeDay(date, revision + 1), revision + 1]));
    });
    const outcomes = await Promise.all(batches.map((batch) => send(store, installation, batch)));
    expect(outcomes.every((outcome) => outcome.kind === 'stored')).toBe(true);
    const data = await store.read(installation);
    expect(data?.days.map((day) => [day.date, day.revision, day.activeMs])).toEqual(
      dates.map((date) => [date, 12, 12]),
    );
  });

  it('deletes everything an upload stored before the deletion, and an upload after it finds the installation gone', async () => {
    const store = await open();
    const installation = await register(store);
    const uploads = Array.from({ length: 8 }, (_, index) =>
      send(store, installation, makeBatch([makeDay(`2026-10-${String(index + 10).padStart(2, '0')}`)])),
    );
    const deletion = store.delete(installation, now());
    const outcomes: StoreOutcome[] = await Promise.all(uploads);
    const receipt = await deletion;
    const stored = outcomes.filter((outcome) => outcome.kind === 'stored').length;
    expect(stored + outcomes.filter((outcome) => outcome.kind === 'gone').length).toBe(8);
    expect(receipt?.deleted).toEqual({ days: stored, accountSnapshots: 0, batches: stored });
    for (const table of ['installations', 'batches', 'days', 'account_snapshots']) {
      expect(await rowsOf({ kind, database: database?.database ?? '' }, table)).toEqual([]);
    }
  });

  it('gives back days by date, batches in the order they arrived and accounts by username', async () => {
    const store = await open();
    const installation = await register(store);
    const snapshot = (date: string) => ({
      date,
      observedAt: `${date}T12:00:00.000Z`,
      followers: { value: 1, exact: true },
      following: null,
      posts: null,
    });
    const scopes = { usage: true, account: true, uploadUsage: true, uploadAccount: true };
    const first = makeBatch([makeDay('2026-11-24'), makeDay('2026-11-02')], {
      scopes,
      accounts: ['mayarivers', 'maya_rivers', 'maya.rivers'].map((username) => ({
        username,
        snapshots: [snapshot('2026-11-24'), snapshot('2026-11-02')],
      })),
    });
    const second = makeBatch([makeDay('2026-11-13')]);
    await send(store, installation, first);
    await send(store, installation, second);
    const data = await store.read(installation);
    expect(data?.days.map((day) => day.date)).toEqual(['2026-11-02', '2026-11-13', '2026-11-24']);
    expect(data?.batches.map((batch) => batch.batchId)).toEqual([first.batchId, second.batchId]);
    // Code-point order, whatever the database's collation: '.' < '_' < letters.
    expect(data?.accounts.map((account) => account.username)).toEqual(['maya.rivers', 'maya_rivers', 'mayarivers']);
    expect(data?.accounts[0]?.snapshots.map((kept) => kept.date)).toEqual(['2026-11-02', '2026-11-24']);
  });

  it('gives back any text the contract lets through: NUL characters and lone surrogates', async () => {
    const store = await open();
    const installation = await register(store);
    const odd = { 'a\u0000b': 1, '\ud800': 2, 'é\udfff': 3 };
    const batch = makeBatch([makeDay('2026-11-24', 600_000, { hashtags: { seen: odd, used: {} } })]);
    expect(await send(store, installation, { ...batch, note: '\u0000\ud83d' })).toMatchObject({ kind: 'stored' });
    const data = await store.read(installation);
    expect(data?.days[0]?.hashtags.seen).toEqual(odd);
    expect(data?.batches[0]).toMatchObject({ note: '\u0000\ud83d' });
  });

  it('retention deletes every installation’s days and account snapshots dated before the cut-off, and nothing else', async () => {
    const store = await open();
    const scopes = { usage: true, account: true, uploadUsage: true, uploadAccount: true };
    const snapshot = (date: string) => ({
      date,
      observedAt: `${date}T12:00:00.000Z`,
      followers: { value: 1, exact: true },
      following: null,
      posts: null,
    });
    for (const name of ['old', 'new']) {
      const installation = await register(store, name);
      const dates = name === 'old' ? ['2025-10-31', '2025-11-01', '2026-11-24'] : ['2026-11-24'];
      await send(
        store,
        installation,
        makeBatch(
          dates.map((date) => makeDay(date)),
          {
            scopes,
            accounts: [{ username: 'maya.rivers', snapshots: dates.map(snapshot) }],
          },
        ),
      );
    }
    expect(await store.stats()).toMatchObject({ installations: 2, days: 4, accountSnapshots: 4, batches: 2 });
    expect(await store.deleteBefore('2025-11-01')).toEqual({ days: 1, accountSnapshots: 1 });
    expect(await store.deleteBefore('2025-11-01')).toEqual({ days: 0, accountSnapshots: 0 });
    expect(await store.stats()).toEqual({
      installations: 2,
      installationsWithoutUploads: 0,
      days: 3,
      accountSnapshots: 3,
      batches: 2,
      tombstones: 0,
      oldestDay: '2025-11-01',
      newestDay: '2026-11-24',
    });
  });

  it('counts what it holds, and an empty database holds nothing', async () => {
    const store = await open();
    await register(store);
    expect(await store.stats()).toEqual({
      installations: 1,
      installationsWithoutUploads: 1,
      days: 0,
      accountSnapshots: 0,
      batches: 0,
      tombstones: 0,
      oldestDay: null,
      newestDay: null,
    });
  });

  it('answers the health check, and its upkeep runs on an empty database', async () => {
    const store = await open();
    await expect(store.ping()).resolves.toBeUndefined();
    await expect(store.housekeeping()).resolves.toBeUndefined();
  });
});

describe('rate-limit counters', () => {
  it('are kept in the server’s memory with SQLite (the store offers none)', async () => {
    database = await newDatabase('sqlite');
    const store = await openStore(database.database);
    stores.push(store);
    expect(store.rateCounter).toBeNull();
  });
});
