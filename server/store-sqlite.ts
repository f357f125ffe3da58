/**
 * The SQLite store, the default: one file through better-sqlite3. better-sqlite3 is synchronous, so each method below
 * runs to completion without interleaving with another request in this process; the methods are async to share the
 * interface with PostgreSQL, and so that uploads can wait for a group commit. Every write is in an IMMEDIATE
 * transaction (an upload in its own savepoint of one), so an upload or a deletion applies fully or not at all, and
 * several processes sharing the file serialise their writes instead of failing half-way.
 *
 * The schema version is the file's `PRAGMA user_version`: the number of migrations below applied to it.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  DeletionReceipt,
  InstallationData,
  UploadBatch,
  UploadDay,
  UploadEnvironment,
} from '../src/shared/contracts/upload';
import { batchSummary, storedRevision, unknownBatchFields } from './batch-rows';
import { applyMigrations, type Migration, type MigrationStatus, statusOf } from './migrations';
import type { Installation, Store, StoreOutcome, StoreStats } from './store';
import type { Contribution } from './weekly-report';

/** Version 1: the first release. Kept as it was, because a new file is built by running every migration on it. */
const schemaV1 = `
CREATE TABLE installations (
  key INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  token_hash BLOB NOT NULL UNIQUE,
  uninstall_hash BLOB NOT NULL UNIQUE,
  created_at TEXT NOT NULL
) STRICT;
CREATE TABLE batches (
  installation INTEGER NOT NULL REFERENCES installations (key),
  batch_id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  days INTEGER NOT NULL,
  policy_version INTEGER NOT NULL,
  environment TEXT NOT NULL,
  fingerprint BLOB NOT NULL,
  PRIMARY KEY (installation, batch_id)
) STRICT;
CREATE TABLE days (
  installation INTEGER NOT NULL,
  date TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (installation, date),
  FOREIGN KEY (installation) REFERENCES installations (key)
) STRICT;
CREATE TABLE account_snapshots (
  installation INTEGER NOT NULL,
  username TEXT NOT NULL,
  date TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (installation, username, date),
  FOREIGN KEY (installation) REFERENCES installations (key)
) STRICT;
`;

/**
 * Version 2 (upload contract version 2): day revisions, snapshots ordered by when they were observed, the batch's
 * counts and unknown fields, and tombstones. Columns are added with defaults that give existing rows their version-1
 * meaning: a day without a revision is revision 0, and a version-1 batch stored all its days.
 */
const migrationTo2 = `
ALTER TABLE batches ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE batches ADD COLUMN accepted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN stale INTEGER NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN extra TEXT;
UPDATE batches SET accepted = days;
ALTER TABLE days ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account_snapshots ADD COLUMN observed_at INTEGER NOT NULL DEFAULT 0;
UPDATE account_snapshots
  SET observed_at = CAST(round((julianday(json_extract(record, '$.observedAt')) - 2440587.5) * 86400000) AS INTEGER)
  WHERE julianday(json_extract(record, '$.observedAt')) IS NOT NULL;
CREATE TABLE tombstones (
  token_hash BLOB PRIMARY KEY,
  receipt TEXT NOT NULL,
  kept_until TEXT
) STRICT;
`;

/** Version 3: the weekly aggregate reports, each frozen once published. */
const migrationTo3 = `
CREATE TABLE weekly_reports (
  week TEXT PRIMARY KEY,
  report TEXT NOT NULL,
  published_at TEXT NOT NULL
) STRICT;
`;

/** In order; the file's user_version counts those applied. Released ones are never changed, only added to. */
export const sqliteMigrations: readonly Migration<Database.Database>[] = [
  {
    name: '0001-first-release',
    up: (db) => {
      db.exec(schemaV1);
    },
  },
  {
    name: '0002-revisions-and-tombstones',
    up: (db) => {
      db.exec(migrationTo2);
    },
  },
  {
    name: '0003-weekly-reports',
    up: (db) => {
      db.exec(migrationTo3);
    },
  },
];

interface BatchRow {
  batch_id: string;
  received_at: string;
  days: number;
  policy_version: number;
  environment: string;
  extra: string | null;
}

/** Creates the file readable by its owner only: it holds people's usage data. */
function createPrivateFile(path: string): void {
  if (path === ':memory:' || existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  // The umask can narrow the mode openSync asked for but not widen it; chmod states it exactly.
  chmodSync(path, 0o600);
}

/** The migrations the file records: the first user_version of them, and a name for each version past the known ones. */
function appliedMigrations(db: Database.Database): string[] {
  const version = db.pragma('user_version', { simple: true });
  const count = typeof version === 'number' ? version : 0;
  return Array.from({ length: count }, (_, index) => sqliteMigrations[index]?.name ?? `version ${index + 1}`);
}

const busyTimeoutMs = 5000;

/**
 * BEGIN IMMEDIATE without blocking the thread while another connection holds the write lock: the migration keeps its
 * transaction open across awaits (umzug is asynchronous), so a second connection in the same process waiting inside
 * SQLite's busy handler would stop the first from ever finishing. It retries on a timer instead, for as long as the
 * busy timeout.
 */
async function beginImmediate(db: Database.Database): Promise<void> {
  const deadline = Date.now() + busyTimeoutMs;
  db.pragma('busy_timeout = 0');
  try {
    for (;;) {
      try {
        db.exec('BEGIN IMMEDIATE');
        return;
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  } finally {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  }
}

/** Brings the file up to date in one transaction that holds the write lock: another server may be starting too. */
async function migrate(db: Database.Database, path: string): Promise<string[]> {
  await beginImmediate(db);
  try {
    const applied = await applyMigrations(path, sqliteMigrations, db, {
      applied: async () => appliedMigrations(db),
      add: async (name) => {
        db.pragma(`user_version = ${sqliteMigrations.findIndex((migration) => migration.name === name) + 1}`);
      },
    });
    db.exec('COMMIT');
    return applied;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** What is applied to the file and what is pending, without changing it (the file must exist). */
export function sqliteMigrationStatus(path: string): MigrationStatus {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return statusOf(path, sqliteMigrations, appliedMigrations(db));
  } finally {
    db.close();
  }
}

function openDatabase(path: string): Database.Database {
  createPrivateFile(path);
  const db = new Database(path);
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('journal_mode = WAL');
  // FULL syncs the WAL at every commit, so an upload the server acknowledged survives a power cut or a kernel crash.
  // NORMAL would lose the last commits then, and clients would not send those batches again: they drop a batch once
  // it is acknowledged. Costs an fsync per commit, shared by the uploads committed together (group commit, below).
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Deleted rows are overwritten with zeros, so a deletion request does not leave the data readable in free pages.
  db.pragma('secure_delete = ON');
  return db;
}

/** Opens (creating it if missing) and migrates the file; answers the names of the migrations it applied. */
export async function migrateSqlite(path: string): Promise<string[]> {
  const db = openDatabase(path);
  try {
    return await migrate(db, path);
  } finally {
    db.close();
  }
}

export async function openSqliteStore(path: string): Promise<Store> {
  const db = openDatabase(path);
  try {
    await migrate(db, path);
  } catch (error) {
    db.close();
    throw error;
  }

  const insertInstallation = db.prepare<[string, Buffer, Buffer, string]>(
    'INSERT INTO installations (id, token_hash, uninstall_hash, created_at) VALUES (?, ?, ?, ?)',
  );
  const selectByUninstallHash = db.prepare<[Buffer], Installation>(
    'SELECT key, id, token_hash AS tokenHash FROM installations WHERE uninstall_hash = ?',
  );
  const selectByTokenHash = db.prepare<[Buffer], Installation>(
    'SELECT key, id, token_hash AS tokenHash FROM installations WHERE token_hash = ?',
  );
  const selectCreatedAt = db.prepare<[number], string>('SELECT created_at FROM installations WHERE key = ?').pluck();
  const selectBatch = db.prepare<[number, string], { accepted: number; stale: number; fingerprint: Buffer }>(
    'SELECT accepted, stale, fingerprint FROM batches WHERE installation = ? AND batch_id = ?',
  );
  const insertBatch = db.prepare<
    [number, string, string, number, number, number, number, number, string, string | null, Buffer]
  >(
    `INSERT INTO batches (installation, batch_id, received_at, schema_version, days, accepted, stale, policy_version,
       environment, extra, fingerprint)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // The stored day is replaced only by an equal or higher revision: a retry of an older version that arrives after a
  // correction leaves the correction (changes = 0, counted as stale).
  const upsertDay = db.prepare<[number, string, string, string, number]>(
    `INSERT INTO days (installation, date, batch_id, record, revision) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (installation, date) DO UPDATE
       SET batch_id = excluded.batch_id, record = excluded.record, revision = excluded.revision
       WHERE excluded.revision >= days.revision`,
  );
  // The same for snapshots, by when they were observed: the later observation of a day is the better one.
  const upsertSnapshot = db.prepare<[number, string, string, string, string, number]>(
    `INSERT INTO account_snapshots (installation, username, date, batch_id, record, observed_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (installation, username, date) DO UPDATE
       SET batch_id = excluded.batch_id, record = excluded.record, observed_at = excluded.observed_at
       WHERE excluded.observed_at >= account_snapshots.observed_at`,
  );
  const selectBatches = db.prepare<[number], BatchRow>(
    `SELECT batch_id, received_at, days, policy_version, environment, extra
     FROM batches WHERE installation = ? ORDER BY rowid`,
  );
  const selectDays = db.prepare<[number], { batch_id: string; record: string }>(
    'SELECT batch_id, record FROM days WHERE installation = ? ORDER BY date',
  );
  const selectSnapshots = db.prepare<[number], { username: string; record: string }>(
    'SELECT username, record FROM account_snapshots WHERE installation = ? ORDER BY username, date',
  );
  const deleteFrom = (table: 'days' | 'account_snapshots' | 'batches') =>
    db.prepare<[number]>(`DELETE FROM ${table} WHERE installation = ?`);
  const deleteDays = deleteFrom('days');
  const deleteSnapshots = deleteFrom('account_snapshots');
  const deleteBatches = deleteFrom('batches');
  const deleteInstallation = db.prepare<[number]>('DELETE FROM installations WHERE key = ?');
  const insertTombstone = db.prepare<[Buffer, string, string | null]>(
    'INSERT OR REPLACE INTO tombstones (token_hash, receipt, kept_until) VALUES (?, ?, ?)',
  );
  const selectTombstone = db.prepare<[Buffer], string>('SELECT receipt FROM tombstones WHERE token_hash = ?').pluck();
  const selectUnused = db.prepare<[string], Installation>(
    `SELECT key, id, token_hash AS tokenHash FROM installations
     WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM batches WHERE batches.installation = installations.key)`,
  );
  const deleteOldTombstones = db.prepare<[string]>(
    'DELETE FROM tombstones WHERE kept_until IS NOT NULL AND kept_until < ?',
  );
  const selectOne = db.prepare('SELECT 1');
  const deleteDaysBefore = db.prepare<[string]>('DELETE FROM days WHERE date < ?');
  const deleteSnapshotsBefore = db.prepare<[string]>('DELETE FROM account_snapshots WHERE date < ?');
  const deleteBefore = db.transaction((date: string) => ({
    days: deleteDaysBefore.run(date).changes,
    accountSnapshots: deleteSnapshotsBefore.run(date).changes,
  }));
  const selectWeekDays = db.prepare<[string, string], { installation: number; record: string; environment: string }>(
    // Each installation's latest environment looked up once, not once per day.
    `WITH week AS (SELECT installation, date, record FROM days WHERE date BETWEEN ? AND ?),
     latest AS (
       SELECT installation, environment,
         row_number() OVER (PARTITION BY installation ORDER BY received_at DESC, rowid DESC) AS newest
       FROM batches WHERE installation IN (SELECT installation FROM week)
     )
     SELECT week.installation, week.record, latest.environment
     FROM week JOIN latest ON latest.installation = week.installation AND latest.newest = 1
     ORDER BY week.installation, week.date`,
  );
  const selectReport = db.prepare<[string], string>('SELECT report FROM weekly_reports WHERE week = ?').pluck();
  const insertReport = db.prepare<[string, string, string]>(
    'INSERT INTO weekly_reports (week, report, published_at) VALUES (?, ?, ?) ON CONFLICT (week) DO NOTHING',
  );
  const upsertReport = db.prepare<[string, string, string]>(
    `INSERT INTO weekly_reports (week, report, published_at) VALUES (?, ?, ?)
     ON CONFLICT (week) DO UPDATE SET report = excluded.report, published_at = excluded.published_at`,
  );
  const publishReport = db.transaction((week: string, report: string, publishedAt: string): string => {
    insertReport.run(week, report, publishedAt);
    return selectReport.get(week) ?? report;
  });
  const selectStats = db.prepare<[], StoreStats>(
    `SELECT
       (SELECT count(*) FROM installations) AS installations,
       (SELECT count(*) FROM installations
          WHERE NOT EXISTS (SELECT 1 FROM batches WHERE batches.installation = installations.key))
         AS installationsWithoutUploads,
       (SELECT count(*) FROM days) AS days,
       (SELECT count(*) FROM account_snapshots) AS accountSnapshots,
       (SELECT count(*) FROM batches) AS batches,
       (SELECT count(*) FROM tombstones) AS tombstones,
       (SELECT min(date) FROM days) AS oldestDay,
       (SELECT max(date) FROM days) AS newestDay`,
  );

  const storeBatch = db.transaction(
    (installation: Installation, batch: UploadBatch, fingerprint: Buffer, receivedAt: string): StoreOutcome => {
      if (selectCreatedAt.get(installation.key) === undefined) return { kind: 'gone' };
      const previous = selectBatch.get(installation.key, batch.batchId);
      if (previous) {
        return previous.fingerprint.equals(fingerprint)
          ? { kind: 'duplicate', accepted: previous.accepted, stale: previous.stale }
          : { kind: 'conflict' };
      }
      let accepted = 0;
      for (const day of batch.days) {
        const revision = storedRevision(batch, day);
        accepted += upsertDay.run(installation.key, day.date, batch.batchId, JSON.stringify(day), revision).changes;
      }
      for (const account of batch.accounts ?? []) {
        for (const snapshot of account.snapshots) {
          upsertSnapshot.run(
            installation.key,
            account.username,
            snapshot.date,
            batch.batchId,
            JSON.stringify(snapshot),
            Date.parse(snapshot.observedAt),
          );
        }
      }
      const stale = batch.days.length - accepted;
      insertBatch.run(
        installation.key,
        batch.batchId,
        receivedAt,
        batch.schemaVersion,
        batch.days.length,
        accepted,
        stale,
        batch.policyVersion,
        JSON.stringify(batch.environment),
        unknownBatchFields(batch),
        fingerprint,
      );
      return { kind: 'stored', accepted, stale };
    },
  );

  /**
   * Group commit. With `synchronous = FULL` every commit waits for an fsync, on the event loop (better-sqlite3 is
   * synchronous): one per upload made the disk, not the CPU, the limit. The uploads that reach the store within one
   * turn of the event loop are stored in one IMMEDIATE transaction, each in its own savepoint (better-sqlite3 nests a
   * transaction function called inside another as a savepoint): one that fails is rolled back alone and answers its
   * error, the others commit together, and every one is answered only after that commit is on disk.
   */
  type Upload = Parameters<typeof storeBatch>;
  const waiting: { upload: Upload; resolve: (outcome: StoreOutcome) => void; reject: (error: unknown) => void }[] = [];
  const storeGroup = db.transaction((uploads: Upload[]) =>
    uploads.map((upload) => {
      try {
        return { stored: true as const, outcome: storeBatch(...upload) };
      } catch (error) {
        return { stored: false as const, error };
      }
    }),
  );
  const commitWaiting = () => {
    const group = waiting.splice(0);
    let results: ReturnType<typeof storeGroup>;
    try {
      results = storeGroup.immediate(group.map((item) => item.upload));
    } catch (error) {
      // The commit itself failed (the disk, a lock held too long): nothing of the group is stored.
      for (const item of group) item.reject(error);
      return;
    }
    results.forEach((result, index) => {
      const item = group[index];
      if (!item) return;
      if (result.stored) item.resolve(result.outcome);
      else item.reject(result.error);
    });
  };

  // One read transaction, so the days, snapshots and batches come from the same moment.
  const read = db.transaction((installation: Installation): InstallationData | undefined => {
    const createdAt = selectCreatedAt.get(installation.key);
    if (createdAt === undefined) return undefined;
    const batches = new Map(selectBatches.all(installation.key).map((row) => [row.batch_id, row]));
    const days = selectDays.all(installation.key).flatMap((row) => {
      const batch = batches.get(row.batch_id);
      // A day's batch is always stored (batches go only with their installation); flatMap keeps the type honest.
      if (!batch) return [];
      const day = JSON.parse(row.record) as UploadDay;
      return [
        {
          ...day,
          receivedAt: batch.received_at,
          policyVersion: batch.policy_version,
          environment: JSON.parse(batch.environment) as UploadEnvironment,
        },
      ];
    });
    const accounts = new Map<string, InstallationData['accounts'][number]>();
    for (const row of selectSnapshots.all(installation.key)) {
      let account = accounts.get(row.username);
      if (!account) {
        account = { username: row.username, snapshots: [] };
        accounts.set(row.username, account);
      }
      account.snapshots.push(JSON.parse(row.record) as InstallationData['accounts'][number]['snapshots'][number]);
    }
    return {
      installationId: installation.id,
      createdAt,
      days,
      accounts: [...accounts.values()],
      batches: [...batches.values()].map((row) =>
        batchSummary({
          batchId: row.batch_id,
          receivedAt: row.received_at,
          days: row.days,
          extra: row.extra === null ? null : (JSON.parse(row.extra) as Record<string, unknown>),
        }),
      ),
    };
  });

  const findReceipt = (tokenHash: Buffer): DeletionReceipt | undefined => {
    const receipt = selectTombstone.get(tokenHash);
    return receipt === undefined ? undefined : (JSON.parse(receipt) as DeletionReceipt);
  };

  /** Deletes one installation's rows and leaves its tombstone; the caller holds the transaction. */
  const removeInstallation = (
    installation: Installation,
    deletedAt: string,
    keptUntil: string | null,
  ): DeletionReceipt => {
    const deleted = {
      days: deleteDays.run(installation.key).changes,
      accountSnapshots: deleteSnapshots.run(installation.key).changes,
      batches: deleteBatches.run(installation.key).changes,
    };
    deleteInstallation.run(installation.key);
    const receipt: DeletionReceipt = { deletedAt, receiptId: randomUUID(), deleted };
    insertTombstone.run(installation.tokenHash, JSON.stringify(receipt), keptUntil);
    return receipt;
  };

  const remove = db.transaction((installation: Installation, deletedAt: string): DeletionReceipt | undefined => {
    if (selectCreatedAt.get(installation.key) === undefined) return findReceipt(installation.tokenHash);
    return removeInstallation(installation, deletedAt, null);
  });

  const removeByUninstallHash = db.transaction((uninstallHash: Buffer, deletedAt: string): boolean => {
    const installation = selectByUninstallHash.get(uninstallHash);
    if (!installation) return false;
    removeInstallation(installation, deletedAt, null);
    return true;
  });

  const expireUnused = db.transaction((createdBefore: string, deletedAt: string, tombstonesUntil: string): number => {
    deleteOldTombstones.run(deletedAt);
    const unused = selectUnused.all(createdBefore);
    for (const installation of unused) removeInstallation(installation, deletedAt, tombstonesUntil);
    return unused.length;
  });

  return {
    createInstallation: async (id, tokenHash, uninstallHash, createdAt) => {
      insertInstallation.run(id, tokenHash, uninstallHash, createdAt);
    },
    findByTokenHash: async (tokenHash) => selectByTokenHash.get(tokenHash),
    findReceipt: async (tokenHash) => findReceipt(tokenHash),
    storeBatch: (installation, batch, fingerprint, receivedAt) =>
      new Promise<StoreOutcome>((resolve, reject) => {
        waiting.push({ upload: [installation, batch, fingerprint, receivedAt], resolve, reject });
        if (waiting.length === 1) setImmediate(commitWaiting);
      }),
    read: async (installation) => read.deferred(installation),
    delete: async (installation, deletedAt) => remove.immediate(installation, deletedAt),
    deleteByUninstallHash: async (uninstallHash, deletedAt) =>
      removeByUninstallHash.immediate(uninstallHash, deletedAt),
    expireUnused: async (createdBefore, deletedAt, tombstonesUntil) =>
      expireUnused.immediate(createdBefore, deletedAt, tombstonesUntil),
    deleteBefore: async (date) => deleteBefore.immediate(date),
    stats: async () => {
      const stats = selectStats.get();
      if (!stats) throw new Error('the statistics query answered no row');
      return stats;
    },
    weekContributions: async (from, to) => {
      const byInstallation = new Map<number, Contribution>();
      for (const row of selectWeekDays.all(from, to)) {
        let contribution = byInstallation.get(row.installation);
        if (!contribution) {
          contribution = { environment: JSON.parse(row.environment) as UploadEnvironment, days: [] };
          byInstallation.set(row.installation, contribution);
        }
        (contribution.days as UploadDay[]).push(JSON.parse(row.record) as UploadDay);
      }
      return [...byInstallation.values()];
    },
    findReport: async (week) => selectReport.get(week),
    publishReport: async (week, report, publishedAt) => publishReport.immediate(week, report, publishedAt),
    replaceReport: async (week, report, publishedAt) => {
      upsertReport.run(week, report, publishedAt);
    },
    backupTo: async (path) => {
      if (existsSync(path)) throw new Error(`${path} exists already: a backup never overwrites a file.`);
      await db.backup(path);
    },
    rateCounter: null,
    housekeeping: async () => {},
    ping: async () => {
      selectOne.get();
    },
    close: async () => {
      db.close();
    },
  };
}
