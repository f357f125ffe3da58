/**
 * The extension's IndexedDB database (Dexie). Extension pages and the background share one origin, so the popup and
 * options page open the same database — but only the background writes to it; pages only read.
 *
 * Data model and versions: docs/DATA_MODEL.md. Every schema change adds a `version(n)` with its upgrade and a
 * migration test in tests/unit/db.test.ts. Old versions stay declared: Dexie needs them to upgrade old databases.
 */
import { Dexie, type DexieOptions, type EntityTable, type Table } from 'dexie';
import { classifyPath } from '../domain/routes';
import type {
  AccountSnapshotRecord,
  AttendedSecondsRecord,
  ConsentLedgerRecord,
  ConsentStateRecord,
  DayKeyRecord,
  DayRecord,
  DeletionRequestRecord,
  OutboxRecord,
  QualitySignalRecord,
  ReminderStateRecord,
  SettingsRecord,
  SyncConfigRecord,
  SyncCredentialsRecord,
  SyncDayRecord,
  UploadLogRecord,
  VisitRecord,
} from './records';

export const databaseName = 'smarttags';

/** The tables holding what was recorded about Instagram use: exported, imported, pruned, and emptied by a wipe. */
export const recordedTables = ['days', 'accountSnapshots', 'visits'] as const;
/**
 * Bookkeeping derived from recording (what was already counted, layout drift, which reminders were already shown);
 * emptied by a wipe too.
 */
export const bookkeepingTables = ['attendedSeconds', 'dayKeys', 'qualitySignals', 'reminderState'] as const;
/** Copies of recorded data on their way to the backend; a wipe empties them too (the deletion request follows). */
export const pendingUploadTables = ['outbox', 'syncDays'] as const;

/**
 * How extension pages open the database. Pages only read (the background is the only writer) and never change what a
 * query returns, so live-query results are frozen rather than deep-cloned for every reader: with a year of days, each
 * holding hundreds of hashtag counts, cloning cost the dashboard hundreds of milliseconds per tab (docs/BENCHMARKS.md).
 */
export const pageDatabaseOptions: DexieOptions = { cache: 'immutable' };

export class SmartTagsDatabase extends Dexie {
  days!: EntityTable<DayRecord, 'date'>;
  accountSnapshots!: Table<AccountSnapshotRecord, [string, string]>;
  visits!: EntityTable<VisitRecord, 'id'>;
  consent!: EntityTable<ConsentStateRecord, 'id'>;
  consentLedger!: EntityTable<ConsentLedgerRecord, 'id'>;
  settings!: EntityTable<SettingsRecord, 'id'>;
  attendedSeconds!: EntityTable<AttendedSecondsRecord, 'utcDay'>;
  dayKeys!: Table<DayKeyRecord, [string, string]>;
  qualitySignals!: EntityTable<QualitySignalRecord, 'signal'>;
  syncConfig!: EntityTable<SyncConfigRecord, 'id'>;
  syncCredentials!: EntityTable<SyncCredentialsRecord, 'id'>;
  outbox!: EntityTable<OutboxRecord, 'seq'>;
  syncDays!: EntityTable<SyncDayRecord, 'date'>;
  deletionRequests!: EntityTable<DeletionRequestRecord, 'id'>;
  uploadLog!: EntityTable<UploadLogRecord, 'id'>;
  reminderState!: EntityTable<ReminderStateRecord, 'id'>;

  constructor(name: string = databaseName, options?: DexieOptions) {
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
  }
}
