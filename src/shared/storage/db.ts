/**
 * The extension's IndexedDB database (Dexie). Extension pages and the background share one origin, so the popup and
 * options page open the same database — but only the background writes to it; pages only read.
 *
 * Every record written to any table is first validated against its table's schema (`recordSchemas`), and a record of
 * recorded data or its bookkeeping (`guardedTables`) is written only in a transaction the write guard opened
 * (src/background/writeGuard.ts: consent scope and pause checked inside that transaction). Both are enforced here, in
 * a Dexie middleware under every write, so no writer can skip them. Deletions stay free: a wipe and retention delete
 * without consent.
 *
 * Data model and versions: docs/DATA_MODEL.md. Every schema change adds a `version(n)` with its upgrade and a
 * migration test in tests/unit/db.test.ts. Old versions stay declared: Dexie needs them to upgrade old databases.
 */
import {
  type DBCore,
  type DBCoreMutateRequest,
  type DBCoreTable,
  Dexie,
  type DexieOptions,
  type EntityTable,
  type Table,
  type Transaction,
} from 'dexie';
import { classifyPath } from '../domain/routes';
import type { z } from '../zod';
import {
  type AccountSnapshotRecord,
  type AttendedSecondsRecord,
  accountSnapshotRecord,
  attendedSecondsRecord,
  type ConsentLedgerRecord,
  type ConsentStateRecord,
  consentLedgerRecord,
  consentStateRecord,
  type DayKeyRecord,
  type DayRecord,
  type DayTotalsRecord,
  type DeletionRequestRecord,
  dayKeyRecord,
  dayRecord,
  dayTotalsOf,
  dayTotalsRecord,
  deletionRequestRecord,
  type FollowerListRecord,
  followerListRecord,
  type ImportedAccountPointRecord,
  type ImportedDayRecord,
  importedAccountPointRecord,
  importedDayRecord,
  type LocalEditRecord,
  localEditRecord,
  type OutboxRecord,
  outboxRecord,
  type ReaderHealthRecord,
  type ReminderStateRecord,
  readerHealthRecord,
  reminderStateRecord,
  type SettingsRecord,
  type SyncConfigRecord,
  type SyncCredentialsRecord,
  type SyncDayRecord,
  settingsRecord,
  syncConfigRecord,
  syncCredentialsRecord,
  syncDayRecord,
  type UploadLogRecord,
  uploadLogRecord,
  type VisitRecord,
  visitRecord,
} from './records';

export const databaseName = 'smarttags';

/** The tables holding what was recorded about Instagram use: exported, imported, pruned, and emptied by a wipe. */
export const recordedTables = ['days', 'accountSnapshots', 'visits'] as const;
/**
 * Bookkeeping derived from recording (what was already counted, layout drift, which reminders were already shown, each
 * day's figures without its hashtags); emptied by a wipe too.
 */
export const bookkeepingTables = ['attendedSeconds', 'dayKeys', 'readerHealth', 'reminderState', 'dayTotals'] as const;
/** Copies of recorded data on their way to the backend; a wipe empties them too (the deletion request follows). */
export const pendingUploadTables = ['outbox', 'syncDays'] as const;
/**
 * History imported from Instagram's own data export (src/background/instagramImport.ts), kept apart from what
 * smartTags recorded: exported, pruned by retention and emptied by a wipe like recorded data, but never uploaded and
 * never swapped by an import of a smartTags file (that file holds recorded data only). `followerLists` — other
 * people's usernames, kept only while the person has "Keep my follower list" on — is of this kind too.
 */
export const instagramHistoryTables = ['importedDays', 'importedAccountPoints', 'followerLists'] as const;
/**
 * What only the write guard may write (src/background/writeGuard.ts): what was recorded and what recording derived
 * from it, and the history imported from Instagram's export. Everything else — consent, settings, sync's state — has
 * its own writer and rules. So has `localEdits`, the ledger of the person's corrections to recorded days
 * (src/background/edits.ts): it records what the person removed, not anything observed, and a correction must work
 * after consent is withdrawn, so no scope could guard it. It is exported and imported with the days it describes, and
 * emptied by a wipe.
 */
export const guardedTables = [...recordedTables, ...bookkeepingTables, ...instagramHistoryTables] as const;
export type GuardedTableName = (typeof guardedTables)[number];

/**
 * How extension pages open the database. Pages only read (the background is the only writer) and never change what a
 * query returns, so live-query results are frozen rather than deep-cloned for every reader: with a year of days, each
 * holding hundreds of hashtag counts, cloning cost the dashboard hundreds of milliseconds per tab (docs/BENCHMARKS.md).
 */
export const pageDatabaseOptions: DexieOptions = { cache: 'immutable' };

/** The name of every table of the current version, from the tables the class declares. */
export type TableName = {
  [K in keyof SmartTagsDatabase]: SmartTagsDatabase[K] extends Table<infer _Record, infer _Key, infer _Insert>
    ? K
    : never;
}[keyof SmartTagsDatabase];
/** What one table stores. */
export type RecordOf<K extends TableName> =
  SmartTagsDatabase[K] extends Table<infer Stored, infer _Key, infer _Insert> ? Stored : never;

/**
 * The schema every record of each table is validated against before it is written (./records.ts). Typed over every
 * table the class declares, so a table without a schema — or with another table's — does not compile; the constructor
 * also refuses a table declared in `stores()` alone.
 */
export const recordSchemas: { readonly [K in TableName]: z.ZodType<RecordOf<K>> } = {
  days: dayRecord,
  dayTotals: dayTotalsRecord,
  accountSnapshots: accountSnapshotRecord,
  visits: visitRecord,
  consent: consentStateRecord,
  consentLedger: consentLedgerRecord,
  settings: settingsRecord,
  attendedSeconds: attendedSecondsRecord,
  dayKeys: dayKeyRecord,
  readerHealth: readerHealthRecord,
  localEdits: localEditRecord,
  syncConfig: syncConfigRecord,
  syncCredentials: syncCredentialsRecord,
  outbox: outboxRecord,
  syncDays: syncDayRecord,
  deletionRequests: deletionRequestRecord,
  uploadLog: uploadLogRecord,
  reminderState: reminderStateRecord,
  importedDays: importedDayRecord,
  importedAccountPoints: importedAccountPointRecord,
  followerLists: followerListRecord,
};

function isTableName(name: string): name is TableName {
  return Object.hasOwn(recordSchemas, name);
}

function isGuardedTable(name: string): name is GuardedTableName {
  return (guardedTables as readonly string[]).includes(name);
}

/** A record that does not match its table's schema, refused before it reached IndexedDB. */
export class InvalidRecordError extends Error {
  override readonly name = 'InvalidRecordError';
  constructor(
    readonly table: string,
    issues: readonly z.core.$ZodIssue[],
  ) {
    // Which fields and why, never the values written: the message may travel further than the record would.
    const described = issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`).join('; ');
    super(`Refused to write an invalid ${table} record — ${described || 'no schema for this table'}`);
  }
}

/** A write of recorded data (or its bookkeeping) in a transaction the write guard did not open. */
export class UnguardedWriteError extends Error {
  override readonly name = 'UnguardedWriteError';
  constructor(readonly table: string) {
    super(
      `Refused to write ${table} outside the write guard (src/background/writeGuard.ts): recorded data is written ` +
        'only after its consent scope and the pause were checked in the same transaction.',
    );
  }
}

/** Transactions the write guard opened, after it checked consent and the pause in them. */
const admittedTransactions = new WeakSet<Transaction>();

/**
 * Lets the guarded tables be written in this transaction (and in transactions nested in it). Only
 * src/background/writeGuard.ts calls this, after its checks passed (tests/unit/writeGuard.test.ts checks that no other
 * file does): calling it anywhere else is skipping the guard.
 */
export function admitRecordedWrites(transaction: Transaction): void {
  admittedTransactions.add(transaction);
}

/**
 * Whether a guarded table may be written in this transaction: one the guard admitted (or nested in one), or an upgrade
 * (a migration moves records already stored; it records nothing). A database opened with `fixtureWrites` — only
 * tests do, to lay down records as if they had been recorded — also lets a single write outside any explicit
 * transaction through; a writer opens a transaction (it must read consent in it) and is refused even there.
 */
function mayWriteGuarded(transaction: Transaction | null | undefined, fixturesAllowed: boolean): boolean {
  if (!transaction) return fixturesAllowed;
  if (transaction.idbtrans?.mode === 'versionchange') return true;
  for (let current: Transaction | null | undefined = transaction; current; current = current.parent) {
    if (admittedTransactions.has(current)) return true;
  }
  return fixturesAllowed && !transaction.explicit;
}

/**
 * The middleware under every write: `add` and `put` carry the full records that will be stored — also for `update`,
 * `modify` and `upsert`, which Dexie turns into puts of the changed records — so each is validated as it will be
 * stored, whoever writes it. Deletions pass: nothing is written.
 */
function writeChecks(fixturesAllowed: boolean) {
  return {
    stack: 'dbcore' as const,
    name: 'smartTagsWriteChecks',
    create(down: DBCore): Partial<DBCore> {
      return {
        table(name: string): DBCoreTable {
          const table = down.table(name);
          return {
            ...table,
            mutate(request: DBCoreMutateRequest) {
              if (request.type !== 'add' && request.type !== 'put') return table.mutate(request);
              if (request.values.length === 0) return table.mutate(request);
              if (isGuardedTable(name) && !mayWriteGuarded(Dexie.currentTransaction, fixturesAllowed)) {
                return Promise.reject(new UnguardedWriteError(name));
              }
              if (!isTableName(name)) return Promise.reject(new InvalidRecordError(name, []));
              const schema: z.ZodType = recordSchemas[name];
              for (const value of request.values) {
                const result = schema.safeParse(value);
                if (!result.success) return Promise.reject(new InvalidRecordError(name, result.error.issues));
              }
              return table.mutate(request);
            },
          };
        },
      };
    },
  };
}

/**
 * Keeps `dayTotals` equal to `days` minus the hashtag fields, in the transaction of every write of `days`: a read-write
 * transaction over `days` also holds `dayTotals` (whoever opens it, explicitly or through a single table call), each
 * day added or put (also by update and modify, which Dexie turns into puts) is put there without its hashtags, and
 * each deletion and clear is repeated there — so the two never disagree, and nothing else needs to know.
 */
const dayTotalsKeeper = {
  stack: 'dbcore' as const,
  name: 'smartTagsDayTotals',
  // Above Dexie's own observability and cache (level 0), so live queries of `dayTotals` see its writes; below the write
  // checks (level 10).
  level: 5,
  create(down: DBCore): Partial<DBCore> {
    return {
      transaction(stores, mode, options) {
        const widened = mode === 'readwrite' && stores.includes('days') && !stores.includes('dayTotals');
        return down.transaction(widened ? [...stores, 'dayTotals'] : stores, mode, options);
      },
      table(name: string): DBCoreTable {
        const table = down.table(name);
        if (name !== 'days') return table;
        return {
          ...table,
          async mutate(request: DBCoreMutateRequest) {
            const result = await table.mutate(request);
            const totals = down.table('dayTotals');
            const { trans } = request;
            if (request.type === 'delete') await totals.mutate({ type: 'delete', trans, keys: request.keys });
            else if (request.type === 'deleteRange') {
              await totals.mutate({ type: 'deleteRange', trans, range: request.range });
            } else {
              const written = request.values.filter((_, index) => !(index in result.failures));
              if (written.length > 0) {
                await totals.mutate({ type: 'put', trans, values: written.map((day: DayRecord) => dayTotalsOf(day)) });
              }
            }
            return result;
          },
        };
      },
    };
  },
};

interface FixtureOption {
  fixtureWrites?: boolean;
}

export class SmartTagsDatabase extends Dexie {
  days!: EntityTable<DayRecord, 'date'>;
  /** Each day without its hashtag fields, written by the database with the day (`dayTotalsKeeper`); never by code. */
  dayTotals!: EntityTable<DayTotalsRecord, 'date'>;
  accountSnapshots!: Table<AccountSnapshotRecord, [string, string]>;
  visits!: EntityTable<VisitRecord, 'id'>;
  consent!: EntityTable<ConsentStateRecord, 'id'>;
  consentLedger!: EntityTable<ConsentLedgerRecord, 'id'>;
  settings!: EntityTable<SettingsRecord, 'id'>;
  attendedSeconds!: EntityTable<AttendedSecondsRecord, 'utcDay'>;
  dayKeys!: Table<DayKeyRecord, [string, string]>;
  readerHealth!: EntityTable<ReaderHealthRecord, 'reader'>;
  localEdits!: EntityTable<LocalEditRecord, 'id'>;
  syncConfig!: EntityTable<SyncConfigRecord, 'id'>;
  syncCredentials!: EntityTable<SyncCredentialsRecord, 'id'>;
  outbox!: EntityTable<OutboxRecord, 'seq'>;
  syncDays!: EntityTable<SyncDayRecord, 'date'>;
  deletionRequests!: EntityTable<DeletionRequestRecord, 'id'>;
  uploadLog!: EntityTable<UploadLogRecord, 'id'>;
  reminderState!: EntityTable<ReminderStateRecord, 'id'>;
  importedDays!: EntityTable<ImportedDayRecord, 'date'>;
  importedAccountPoints!: Table<ImportedAccountPointRecord, [string, string]>;
  followerLists!: EntityTable<FollowerListRecord, 'id'>;

  /**
   * `fixtureWrites` is for tests only (the extension never sets it): plain table writes outside a transaction may then
   * seed the guarded tables. Every record is validated all the same.
   */
  constructor(name: string = databaseName, { fixtureWrites = false, ...options }: DexieOptions & FixtureOption = {}) {
    super(name, options);
    // v1 (foundation): the wiring proof stored raw page paths.
    this.version(1).stores({ pagesSeen: '++id, seenAt' });
    // v2: the data model. Paths become surfaces — a path can name another person or a message thread, which a
    // usage record has no need to keep.
    this.version(2)
      .stores({
        pagesSeen: null,
        visits: '++id, seenAt',
        days: '&date',
        accountSnapshots: '[username+date], username, date',
        consent: '&id',
        consentLedger: '++id, at',
        settings: '&id',
      })
      .upgrade(async (transaction) => {
        const pages: Array<{ path: string; seenAt: number }> = await transaction.table('pagesSeen').toArray();
        const visits = pages.map(({ path, seenAt }) => ({ surface: classifyPath(path).surface, seenAt }));
        await transaction.table('visits').bulkAdd(visits);
      });
    // v3: recording's bookkeeping. Settings gain attention thresholds, filled by the schema's defaults on read.
    this.version(3).stores({
      attendedSeconds: '&utcDay',
      dayKeys: '[date+key], date',
      qualitySignals: '&signal',
    });
    // v4: sync — the outbox, what was enqueued per day, the backend identity, deletion requests, the upload log.
    this.version(4).stores({
      syncConfig: '&id',
      syncCredentials: '&id',
      outbox: '++seq, nextAttemptAt',
      syncDays: '&date',
      deletionRequests: '&id, status',
      uploadLog: '++id, at',
    });
    // v5: reminders — what was already reminded of. Their settings live in the settings row (absent: off).
    this.version(5).stores({ reminderState: '&id' });
    // v6: recording health per reader replaces the two layout-drift signals (each signal's failure carries over to its
    // reader); the ledger of the person's corrections to recorded days.
    this.version(6)
      .stores({ qualitySignals: null, readerHealth: '&reader', localEdits: '++id, at, date' })
      .upgrade(async (transaction) => {
        const signals: Array<{ signal: string; since: number; lastSeenAt: number }> = await transaction
          .table('qualitySignals')
          .toArray();
        const readerOf: Record<string, string> = {
          'profile-counts-missing': 'profile-counts',
          'feed-posts-missing': 'feed-posts',
        };
        await transaction.table('readerHealth').bulkPut(
          signals.flatMap(({ signal, since, lastSeenAt }) => {
            const reader = readerOf[signal];
            return reader ? [{ reader, lastOkAt: null, failingSince: since, lastFailedAt: lastSeenAt }] : [];
          }),
        );
      });
    // v7: history imported from Instagram's own data export, apart from what was recorded.
    this.version(7).stores({
      importedDays: '&date',
      importedAccountPoints: '[username+date], username, date',
    });
    // v8: each day's figures without its hashtag fields, for the views that read many days but no hashtags.
    this.version(8)
      .stores({ dayTotals: '&date' })
      .upgrade(async (transaction) => {
        const days: DayRecord[] = await transaction.table('days').toArray();
        await transaction.table('dayTotals').bulkPut(days.map(dayTotalsOf));
      });
    // v9: the follower lists of the last two imports of Instagram's export, kept only on the person's request.
    this.version(9).stores({ followerLists: '++id, importedAt' });

    for (const table of this.tables) {
      if (!isTableName(table.name)) throw new Error(`Table ${table.name} has no record schema in recordSchemas.`);
    }
    this.use(writeChecks(fixtureWrites));
    this.use(dayTotalsKeeper);
  }
}
