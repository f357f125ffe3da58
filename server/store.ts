/**
 * The server's storage: one SQLite file (better-sqlite3, synchronous, so each call below runs to completion without
 * interleaving with another request in this process). Every write is one transaction, so an upload or a deletion
 * applies fully or not at all; transactions are IMMEDIATE so several processes sharing the file serialise their writes
 * instead of failing half-way.
 *
 * What is stored, per installation (an installation is one copy of the extension, known only by a random id):
 * - `installations`: the public id, the SHA-256 of its token and of its uninstall code (never either secret), when it
 *   was created;
 * - `batches`: every upload batch received (id, time, contract version, day count, how many of its days were stored
 *   and how many were stale, policy version, environment, the batch's fields this server does not know, a fingerprint
 *   of its content), which makes a replay recognisable and tells the person what was sent and when;
 * - `days`: one row per local date, the highest revision received for it (JSON), and the batch that carried it;
 * - `account_snapshots`: one row per (username, date), the snapshot observed last, and its batch.
 * After a deletion, `tombstones` keeps the SHA-256 of the token and the deletion receipt (counts and a time, nothing
 * personal), so a client whose first answer was lost can ask again and get the same receipt.
 * Nothing else: no IP addresses, no request logs, no tokens.
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

export type StoreOutcome =
  /** `accepted` days were stored; `stale` were not, because a higher revision of them was already stored. */
  | { kind: 'stored'; accepted: number; stale: number }
  /** The batch id was received before with the same content: the counts of the first time. */
  | { kind: 'duplicate'; accepted: number; stale: number }
  /** The batch id was used before for different content. */
  | { kind: 'conflict' }
  /** The installation was deleted while the request was on its way. */
  | { kind: 'gone' };

export interface Installation {
  /** Internal row id: the other tables reference it, so the public id is stored once. */
  key: number;
  id: string;
  /** The SHA-256 of its token: the key of its tombstone once it is deleted. */
  tokenHash: Buffer;
}

export interface Store {
  createInstallation(id: string, tokenHash: Buffer, uninstallHash: Buffer, createdAt: string): void;
  findByTokenHash(tokenHash: Buffer): Installation | undefined;
  /** The receipt of the deleted installation whose token hashes to this; undefined for a token never known. */
  findReceipt(tokenHash: Buffer): DeletionReceipt | undefined;
  storeBatch(installation: Installation, batch: UploadBatch, fingerprint: Buffer, receivedAt: string): StoreOutcome;
  /** Everything held for the installation, or undefined once it is deleted. */
  read(installation: Installation): InstallationData | undefined;
  /**
   * Deletes the installation and everything held for it, leaves a tombstone and answers its receipt. When it was
   * deleted meanwhile (the uninstall link, another request), the receipt of that deletion.
   */
  delete(installation: Installation, deletedAt: string): DeletionReceipt | undefined;
  /** Deletes the installation whose uninstall code hashes to this; false when there is none (already deleted). */
  deleteByUninstallHash(uninstallHash: Buffer, deletedAt: string): boolean;
  /**
   * Deletes the installations created before `createdBefore` that never stored a batch, each leaving a tombstone kept
   * until `tombstonesUntil`; also drops the tombstones of earlier expiries past their time. Answers how many expired.
   */
  expireUnused(createdBefore: string, deletedAt: string, tombstonesUntil: string): number;
  /** Throws when the database cannot answer (the health check). */
  ping(): void;
  close(): void;
}

/** `PRAGMA user_version` of a database this code writes; older files are migrated when opened. */
export const schemaVersion = 2;

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

/** Index n takes a database from user_version n to n + 1. */
const migrations = [schemaV1, migrationTo2];

/** The batch's own fields, as opposed to the fields a newer client added, which are kept in `batches.extra`. */
const batchFields = new Set(['schemaVersion', 'batchId', 'policyVersion', 'scopes', 'environment', 'days', 'accounts']);

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

/** Brings the file to `schemaVersion`, one step per transaction; another process may be doing the same. */
function migrate(db: Database.Database, path: string): void {
  for (;;) {
    const done = db
      .transaction((): boolean => {
        const version = db.pragma('user_version', { simple: true });
        if (typeof version !== 'number' || version > schemaVersion) {
          throw new Error(
            `${path} has schema version ${String(version)}; this server knows versions up to ${schemaVersion} ` +
              '(the file was written by a newer server)',
          );
        }
        if (version === schemaVersion) return true;
        db.exec(migrations[version] ?? '');
        db.pragma(`user_version = ${version + 1}`);
        return false;
      })
      .immediate();
    if (done) return;
  }
}

export function openStore(path: string): Store {
  createPrivateFile(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // FULL syncs the WAL at every commit, so an upload the server acknowledged survives a power cut or a kernel crash.
  // NORMAL would lose the last commits then, and clients would not send those batches again: they drop a batch once
  // it is acknowledged. Costs an fsync per upload (docs/SERVER.md, benchmark).
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Deleted rows are overwritten with zeros, so a deletion request does not leave the data readable in free pages.
  db.pragma('secure_delete = ON');
  try {
    migrate(db, path);
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
        // Version 1 has no revisions: its days are revision 0, so among them the last write wins.
        const revision = batch.schemaVersion >= 2 ? (day.revision ?? 0) : 0;
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
      const extra = Object.fromEntries(Object.entries(batch).filter(([field]) => !batchFields.has(field)));
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
        Object.keys(extra).length > 0 ? JSON.stringify(extra) : null,
        fingerprint,
      );
      return { kind: 'stored', accepted, stale };
    },
  );

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
      batches: [...batches.values()].map((row) => ({
        // Fields a newer client added to the batch, given back with it; the server's own three come last and win.
        ...(row.extra === null ? {} : (JSON.parse(row.extra) as Record<string, unknown>)),
        batchId: row.batch_id,
        receivedAt: row.received_at,
        days: row.days,
      })),
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
    createInstallation: (id, tokenHash, uninstallHash, createdAt) => {
      insertInstallation.run(id, tokenHash, uninstallHash, createdAt);
    },
    findByTokenHash: (tokenHash) => selectByTokenHash.get(tokenHash),
    findReceipt,
    storeBatch: (installation, batch, fingerprint, receivedAt) =>
      storeBatch.immediate(installation, batch, fingerprint, receivedAt),
    read: (installation) => read.deferred(installation),
    delete: (installation, deletedAt) => remove.immediate(installation, deletedAt),
    deleteByUninstallHash: (uninstallHash, deletedAt) => removeByUninstallHash.immediate(uninstallHash, deletedAt),
    expireUnused: (createdBefore, deletedAt, tombstonesUntil) =>
      expireUnused.immediate(createdBefore, deletedAt, tombstonesUntil),
    ping: () => {
      selectOne.get();
    },
    close: () => db.close(),
  };
}
