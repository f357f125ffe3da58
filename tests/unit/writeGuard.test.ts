/**
 * The one write guard (src/background/writeGuard.ts) and the checks under every write (src/shared/storage/db.ts):
 * every table validates every record it is given, however it is written; recorded data and its bookkeeping are written
 * only in a transaction the guard opened after checking consent and the pause; every writer of recording goes
 * through it. The table tests iterate over the database's own tables, so a new table is covered (or fails) by itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Dexie, type Table } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeConsent } from '../../src/background/consent';
import { exportData, importData, wipeData } from '../../src/background/data';
import { pauseRecording } from '../../src/background/pause';
import { recordAccount, recordQuality, recordUsage } from '../../src/background/usage';
import { recordVisit } from '../../src/background/visits';
import { guardedWrite } from '../../src/background/writeGuard';
import type { UsageReportMessage } from '../../src/shared/contracts/messages';
import {
  databaseName,
  type GuardedTableName,
  guardedTables,
  InvalidRecordError,
  type RecordOf,
  recordSchemas,
  SmartTagsDatabase,
  type TableName,
  UnguardedWriteError,
} from '../../src/shared/storage/db';
import { dayTotalsOf, defaultSettings, emptyReminderState } from '../../src/shared/storage/records';
import { makeContext, type TestContext } from './helpers/context';
import { makeDay, makeSnapshot } from './helpers/records';

const hour = 3_600_000;

interface Sample<Stored> {
  /** A record the table accepts. */
  valid: Stored;
  /** One it refuses. */
  invalid: unknown;
  /** A change that would make the stored valid record invalid. */
  invalidChange: Record<string, unknown>;
}

/** For every table (a table without samples does not compile, and fails below). */
const samples: { [K in TableName]: Sample<RecordOf<K>> } = {
  days: {
    valid: makeDay('2026-11-24'),
    invalid: { ...makeDay('2026-11-24'), activeMs: -1 },
    invalidChange: { activeMs: -1 },
  },
  dayTotals: {
    valid: dayTotalsOf(makeDay('2026-11-24')),
    invalid: { ...dayTotalsOf(makeDay('2026-11-24')), sessions: 1.5 },
    invalidChange: { sessions: -1 },
  },
  accountSnapshots: {
    valid: makeSnapshot('maya.rivers', '2026-11-24'),
    invalid: { ...makeSnapshot('maya.rivers', '2026-11-24'), followers: { value: '12k', exact: false } },
    invalidChange: { 'posts.value': -1 },
  },
  importedDays: {
    valid: {
      date: '2025-03-01',
      source: 'instagram-export',
      views: { posts: 3, reels: 1 },
      tagsUsed: { café: 1 },
      ownPosts: 1,
      importedAt: 1,
    },
    invalid: {
      date: '2025-03-01',
      source: 'recorded',
      views: { posts: 3, reels: 1 },
      tagsUsed: {},
      ownPosts: 0,
      importedAt: 1,
    },
    invalidChange: { 'views.posts': -1 },
  },
  importedAccountPoints: {
    valid: {
      username: 'maya.rivers',
      date: '2025-03-01',
      source: 'instagram-export',
      followers: { value: 10, exact: false },
      following: null,
      importedAt: 1,
    },
    // An imported count is a lower bound: never exact.
    invalid: {
      username: 'maya.rivers',
      date: '2025-03-01',
      source: 'instagram-export',
      followers: { value: 10, exact: true },
      following: null,
      importedAt: 1,
    },
    invalidChange: { 'followers.exact': true },
  },
  followerLists: {
    valid: { importedAt: 1, exportOwner: 'maya.rivers', usernames: ['a.friend', 'b_friend'] },
    // Kept sorted and each once, so two lists compare as arrays.
    invalid: { importedAt: 1, exportOwner: 'maya.rivers', usernames: ['b_friend', 'a.friend'] },
    invalidChange: { usernames: ['not a username'] },
  },
  visits: {
    valid: { surface: 'feed', seenAt: 1 },
    invalid: { surface: 'feed', seenAt: 1, signedOut: false },
    invalidChange: { surface: '/direct/t/123/' },
  },
  consent: {
    valid: {
      id: 'current',
      scopes: { usage: true, account: true, uploadUsage: false, uploadAccount: false },
      agreedPolicyVersion: 1,
      decidedAt: 1,
    },
    invalid: { id: 'current', scopes: { usage: true }, agreedPolicyVersion: 1, decidedAt: 1 },
    invalidChange: { agreedPolicyVersion: 0 },
  },
  consentLedger: {
    valid: { at: 1, scope: 'usage', granted: true, policyVersion: 1, source: 'popup' },
    invalid: { at: 1, scope: 'usage', granted: true, policyVersion: 1, source: 'a web page' },
    invalidChange: { scope: 'everything' },
  },
  settings: {
    valid: defaultSettings,
    invalid: { ...defaultSettings, retentionDays: 31 },
    invalidChange: { dailyLimitMinutes: 1 },
  },
  attendedSeconds: {
    valid: { utcDay: 20_416, bits: new Uint8Array(10_800) },
    invalid: { utcDay: 20_416, bits: [0, 1] },
    invalidChange: { bits: 'all of them' },
  },
  dayKeys: {
    valid: { date: '2026-11-24', key: 'view:post:DCx8sP1oQ2a' },
    invalid: { date: '2026-11-24', key: '' },
    invalidChange: { date: '24.11.2026' },
  },
  readerHealth: {
    valid: { reader: 'feed-posts', lastOkAt: null, failingSince: 1, lastFailedAt: 2 },
    invalid: { reader: 'stories-missing', lastOkAt: null, failingSince: 1, lastFailedAt: 2 },
    invalidChange: { failingSince: 'yesterday' },
  },
  syncConfig: {
    valid: { id: 'current', backendUrl: 'https://smarttags.example.org' },
    invalid: { id: 'current', backendUrl: 'x'.repeat(301) },
    invalidChange: { limits: { maxBodyBytes: 0, maxDecodedBytes: 1, newestVersion: 2, announced: true } },
  },
  syncCredentials: {
    valid: {
      id: 'current',
      backendUrl: 'https://smarttags.example.org',
      installationId: 'inst-1234-5678',
      token: 'token',
      uninstallCode: 'code',
      createdAt: 1,
    },
    invalid: {
      id: 'current',
      backendUrl: 'https://smarttags.example.org',
      installationId: 'inst',
      token: 't',
      createdAt: 1,
    },
    invalidChange: { createdAt: -1 },
  },
  outbox: {
    valid: { batchId: 'batch-1', createdAt: 1, batch: {}, dates: ['2026-11-24'], failures: 0, nextAttemptAt: 1 },
    invalid: { batchId: 'batch-1', createdAt: 1, batch: {}, dates: ['yesterday'], failures: 0, nextAttemptAt: 1 },
    invalidChange: { failures: 1.5 },
  },
  syncDays: {
    valid: { date: '2026-11-24', fingerprint: '[]', revision: 1 },
    invalid: { date: '2026-11-24', fingerprint: '[]', revision: -1 },
    invalidChange: { fingerprint: 5 },
  },
  deletionRequests: {
    valid: {
      id: 'del-1',
      requestedAt: 1,
      backendUrl: 'https://smarttags.example.org',
      installationId: null,
      token: null,
      status: 'confirmed',
      failures: 0,
      nextAttemptAt: 1,
      lastError: null,
      receiptId: null,
      deletedAt: '2026-11-24T10:00:00Z',
    },
    invalid: { id: 'del-1', status: 'queued' },
    invalidChange: { status: 'lost' },
  },
  uploadLog: {
    valid: { at: 1, batchId: 'batch-1', dates: ['2026-11-24'], outcome: 'sent', status: 200, error: null },
    invalid: { at: 1, batchId: 'batch-1', dates: ['2026-11-24'], outcome: 'ok', status: 200, error: null },
    invalidChange: { status: '200' },
  },
  reminderState: {
    valid: emptyReminderState,
    invalid: { ...emptyReminderState, breakRemindedThrough: -1 },
    invalidChange: { dailyLimit: { date: '2026-11-24', limitMinutes: 1 } },
  },
  localEdits: {
    valid: { at: 1, date: '2026-11-24', surface: 'reels', removedMs: 60_000 },
    invalid: { at: 1, date: '2026-11-24', surface: 'reels', removedMs: -1 },
    invalidChange: { surface: 'everything' },
  },
};

/** The tables the database really has (what its versions declare), not a list kept by hand. */
const tableNames = new SmartTagsDatabase('test-table-names').tables.map((table) => table.name);

function sampleFor(name: string): Sample<unknown> {
  if (!Object.hasOwn(samples, name)) throw new Error(`No sample records for table ${name}: add them to samples.`);
  return samples[name as TableName];
}

function isGuarded(name: string): name is GuardedTableName {
  return (guardedTables as readonly string[]).includes(name);
}

let context: TestContext;
beforeEach(async () => {
  context = makeContext('Europe/Berlin');
  await changeConsent(context, { usage: true, account: true }, 'onboarding');
});
afterEach(async () => {
  await context.db.delete();
});

/** Writes as the table's rightful writer would: recorded data through the guard, the rest directly. */
async function asItsWriter<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!isGuarded(name)) return work();
  const result = await guardedWrite(context, { tables: [name], consent: ['usage'] }, work);
  if (result.outcome !== 'recorded') throw new Error(`The guard refused: ${result.outcome}`);
  return result.value;
}

describe('every table validates every record written to it', () => {
  it('has a schema for each table the database declares, and a table for each schema', () => {
    expect([...tableNames].sort()).toEqual(Object.keys(recordSchemas).sort());
  });

  it.each(tableNames)(
    '%s: a valid record is written; an invalid one is refused when added, put or updated',
    async (name) => {
      const table: Table<unknown, unknown> = context.db.table(name);
      const sample = sampleFor(name);
      const key = await asItsWriter(name, () => table.put(sample.valid));
      const stored = await table.get(key);
      expect(stored).toEqual(sample.valid);
      const before = await table.count();

      await expect(asItsWriter(name, () => table.add(sample.invalid))).rejects.toBeInstanceOf(InvalidRecordError);
      await expect(asItsWriter(name, () => table.put(sample.invalid))).rejects.toBeInstanceOf(InvalidRecordError);
      await expect(asItsWriter(name, () => table.bulkPut([sample.valid, sample.invalid]))).rejects.toThrow(
        `Refused to write an invalid ${name} record`,
      );
      // An update is validated as the record it makes (the stored one with the change applied).
      await expect(asItsWriter(name, () => table.update(key, sample.invalidChange))).rejects.toBeInstanceOf(
        InvalidRecordError,
      );
      expect(await table.count()).toBe(before);
      expect(await table.get(key)).toEqual(stored);
    },
  );

  it('says which table and field, but never the value', async () => {
    const error = await context.db.days
      .put({ ...makeDay('2026-11-24'), hashtags: { seen: { secret: -1 }, used: {} } })
      .then(
        () => undefined,
        (refused: unknown) => refused,
      );
    expect(error).toBeInstanceOf(InvalidRecordError);
    expect(String(error)).toContain('days record');
    expect(String(error)).toContain('hashtags.seen.secret');
    expect(String(error)).not.toContain('-1');
  });
});

describe('recorded data and its bookkeeping are written only through the guard', () => {
  it('guards exactly the recorded and bookkeeping tables, and the history (and follower lists) imported from Instagram', () => {
    expect([...guardedTables].sort()).toEqual(
      [
        'accountSnapshots',
        'attendedSeconds',
        'days',
        'dayKeys',
        'dayTotals',
        'readerHealth',
        'reminderState',
        'visits',
        'importedDays',
        'importedAccountPoints',
        'followerLists',
      ].sort(),
    );
  });

  it.each(tableNames.filter(isGuarded))(
    '%s: a valid write in a transaction the guard did not open is refused',
    async (name) => {
      const table: Table<unknown, unknown> = context.db.table(name);
      const { valid } = sampleFor(name);
      await expect(
        context.db.transaction('rw', context.db.consent, table, () => table.put(valid)),
      ).rejects.toBeInstanceOf(UnguardedWriteError);
      await expect(context.db.transaction('rw', table, () => table.bulkAdd([valid]))).rejects.toBeInstanceOf(
        UnguardedWriteError,
      );
      expect(await table.count()).toBe(0);
    },
  );

  it.each(tableNames.filter(isGuarded))(
    '%s: on the extension’s own database even a single write is refused',
    async (name) => {
      const db = new SmartTagsDatabase();
      expect(db.name).toBe(databaseName);
      try {
        const table: Table<unknown, unknown> = db.table(name);
        await expect(table.put(sampleFor(name).valid)).rejects.toBeInstanceOf(UnguardedWriteError);
        expect(await table.count()).toBe(0);
      } finally {
        await db.delete();
      }
    },
  );

  it.each(tableNames.filter(isGuarded))('%s: deleting needs no guard (a wipe, retention)', async (name) => {
    const table: Table<unknown, unknown> = context.db.table(name);
    const key = await asItsWriter(name, () => table.put(sampleFor(name).valid));
    await context.db.transaction('rw', table, () => table.delete(key));
    await asItsWriter(name, () => table.put(sampleFor(name).valid));
    await table.clear();
    expect(await table.count()).toBe(0);
  });

  it.each(tableNames.filter((name) => !isGuarded(name)))('%s: has its own writer, not the guard', async (name) => {
    const table: Table<unknown, unknown> = context.db.table(name);
    await context.db.transaction('rw', table, () => table.put(sampleFor(name).valid));
    expect(await table.count()).toBeGreaterThan(0);
  });

  it('lets a migration move recorded data on the extension’s own database (an upgrade records nothing)', async () => {
    const v1 = new Dexie(databaseName);
    v1.version(1).stores({ pagesSeen: '++id, seenAt' });
    await v1.table('pagesSeen').add({ path: '/explore/', seenAt: 1000 });
    v1.close();
    const db = new SmartTagsDatabase();
    try {
      expect((await db.visits.toArray()).map(({ surface }) => surface)).toEqual(['explore']);
    } finally {
      await db.delete();
    }
  });

  it('admits transactions nested in the guard’s', async () => {
    const { db } = context;
    await guardedWrite(context, { tables: ['days'], consent: ['usage'] }, () =>
      db.transaction('rw', db.days, () => db.days.put(makeDay('2026-11-24'))),
    );
    expect(await db.days.count()).toBe(1);
  });

  it('is the only code that admits a transaction', () => {
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((file) => /\.tsx?$/.test(file));
    const admitting = files.filter((file) => readFileSync(join('src', file), 'utf8').includes('admitRecordedWrites'));
    expect(admitting.sort()).toEqual([join('background', 'writeGuard.ts'), join('shared', 'storage', 'db.ts')]);
  });
});

describe('guardedWrite', () => {
  const write = () => context.db.days.put(makeDay('2026-11-24'));

  it('runs nothing without one of the scopes it needs', async () => {
    await changeConsent(context, { usage: false, account: false }, 'options');
    expect(await guardedWrite(context, { tables: ['days'], consent: ['usage'] }, write)).toEqual({
      outcome: 'no-consent',
    });
    await changeConsent(context, { account: true }, 'options');
    expect(await guardedWrite(context, { tables: ['days'], consent: ['usage'] }, write)).toEqual({
      outcome: 'no-consent',
    });
    expect(await context.db.days.count()).toBe(0);
    expect(await guardedWrite(context, { tables: ['days'], consent: ['usage', 'account'] }, write)).toMatchObject({
      outcome: 'recorded',
    });
    expect(await context.db.days.count()).toBe(1);
  });

  it('runs nothing while recording is paused, and again once the pause ended', async () => {
    await pauseRecording(context, context.clock.now + hour);
    expect(await guardedWrite(context, { tables: ['days'], consent: ['usage'] }, write)).toEqual({ outcome: 'paused' });
    expect(await context.db.days.count()).toBe(0);
    context.clock.now += hour;
    expect(await guardedWrite(context, { tables: ['days'], consent: ['usage'] }, write)).toMatchObject({
      outcome: 'recorded',
    });
  });

  it('skips a check only where the caller says why', async () => {
    await changeConsent(context, { usage: false, account: false }, 'options');
    await pauseRecording(context, context.clock.now + hour);
    const rule = { tables: ['days'], consent: { notNeeded: 'test' }, pause: { notApplied: 'test' } } as const;
    expect(await guardedWrite(context, rule, async (consent) => consent.scopes.usage)).toEqual({
      outcome: 'recorded',
      value: false,
    });
  });

  it('writes nothing when the work fails half-way', async () => {
    const failing = guardedWrite(context, { tables: ['days', 'visits'], consent: ['usage'] }, async () => {
      await context.db.days.put(makeDay('2026-11-24'));
      await context.db.visits.put({ surface: 'feed', seenAt: -1 });
    });
    await expect(failing).rejects.toBeInstanceOf(InvalidRecordError);
    expect(await context.db.days.count()).toBe(0);
  });
});

describe('every writer of recording goes through the guard', () => {
  function usageReport(): UsageReportMessage {
    const second = Math.floor(context.clock.now / 1000) - 60;
    return {
      type: 'usage.report',
      runs: [{ startSecond: second, seconds: 30, surface: 'feed' }],
      views: [{ kind: 'post', id: 'DCx8sP1oQ2a', at: context.clock.now - 5000 }],
      hashtags: [],
    };
  }
  const writers = [
    { name: 'recordUsage', needs: 'usage', write: () => recordUsage(context, usageReport()), table: 'days' },
    {
      name: 'recordAccount',
      needs: 'account',
      write: () =>
        recordAccount(context, {
          type: 'account.report',
          username: 'maya.rivers',
          followers: { value: 12_437, exact: true },
          following: null,
          posts: null,
        }),
      table: 'accountSnapshots',
    },
    {
      name: 'recordQuality',
      needs: 'usage or account',
      write: () => recordQuality(context, 'feed-posts', 'missing'),
      table: 'readerHealth',
    },
    { name: 'recordVisit', needs: 'usage', write: () => recordVisit(context, '/explore/', false), table: 'visits' },
  ] as const;

  it.each(writers)('$name records nothing without $needs consent', async ({ write, table }) => {
    await changeConsent(context, { usage: false, account: false }, 'options');
    expect(await write()).toBe('no-consent');
    expect(await context.db.table(table).count()).toBe(0);
  });

  it.each(writers)('$name records nothing while paused, and records once the pause ended', async ({ write, table }) => {
    await pauseRecording(context, context.clock.now + hour);
    expect(await write()).toBe('paused');
    expect(await context.db.table(table).count()).toBe(0);
    context.clock.now += hour;
    expect(await write()).toBe('recorded');
    expect(await context.db.table(table).count()).toBe(1);
  });

  it('recordQuality keeps a reader failing while paused even when it finds what it reads again', async () => {
    expect(await recordQuality(context, 'feed-posts', 'missing')).toBe('recorded');
    await pauseRecording(context, context.clock.now + hour);
    expect(await recordQuality(context, 'feed-posts', 'ok')).toBe('paused');
    expect(await context.db.readerHealth.get('feed-posts')).toMatchObject({ failingSince: context.clock.now });
  });

  it('an import is the person’s own action, not recording: it applies while paused', async () => {
    expect(await recordUsage(context, usageReport())).toBe('recorded');
    const document = await exportData(context);
    await wipeData(context, false, 'options');
    await pauseRecording(context, context.clock.now + hour);
    expect(await importData(context, document, 'merge', false)).toMatchObject({ ok: true, applied: true });
    expect(await context.db.days.count()).toBe(1);
  });
});
