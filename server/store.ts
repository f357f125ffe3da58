/**
 * The server's storage: one SQLite file (better-sqlite3, synchronous, so each call below runs to completion without
 * interleaving with another request in this process). Every write is one transaction, so an upload or a deletion
 * applies fully or not at all; transactions are IMMEDIATE so several processes sharing the file serialise their writes
 * instead of failing half-way.
 *
 * What is stored, per installation (an installation is one copy of the extension, known only by a random id):
 * - `installations`: the public id, the SHA-256 of its token (never the token), when it was created;
 * - `batches`: every upload batch received (id, time, day count, policy version, environment, a fingerprint of its
 *   content), which makes a replay recognisable and tells the person what was sent and when;
 * - `days`: one row per local date, the latest day record received for it (JSON), and the batch that carried it;
 * - `account_snapshots`: one row per (username, date), the latest snapshot received for it, and its batch.
 * Nothing else: no IP addresses, no request logs, no tokens.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { DayRecord } from '../src/shared/records';
import type { InstallationData, UploadBatch, UploadEnvironment } from '../src/shared/upload';

export type StoreOutcome =
  | { kind: 'stored'; accepted: number }
  | { kind: 'duplicate'; accepted: number }
  /** The batch id was used before for different content. */
  | { kind: 'conflict' }
  /** The installation was deleted while the request was on its way. */
  | { kind: 'gone' };

export interface Installation {
  /** Internal row id: the other tables reference it, so the public id is stored once. */
  key: number;
  id: string;
}

export interface Store {
  createInstallation(id: string, tokenHash: Buffer, uninstallHash: Buffer, createdAt: string): void;
  /** Deletes the installation whose uninstall code hashes to this; false when there is none (already deleted). */
  deleteByUninstallHash(uninstallHash: Buffer): boolean;
  findByTokenHash(tokenHash: Buffer): Installation | undefined;
  storeBatch(installation: Installation, batch: UploadBatch, fingerprint: Buffer, receivedAt: string): StoreOutcome;
  /** Everything held for the installation, or undefined once it is deleted. */
  read(installation: Installation): InstallationData | undefined;
  /** True when something was deleted; false when the installation was already gone. */
  delete(installation: Installation): boolean;
  /** Throws when the database cannot answer (the health check). */
  ping(): void;
  close(): void;
}

const schemaVersion = 1;

const schema = `
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

interface BatchRow {
  batch_id: string;
  received_at: string;
  days: number;
  policy_version: number;
  environment: string;
  fingerprint: Buffer;
}

/** Creates the file readable by its owner only: it holds people's usage data. */
function createPrivateFile(path: string): void {
  if (path === ':memory:' || existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  // The umask can narrow the mode openSync asked for but not widen it; chmod states it exactly.
  chmodSync(path, 0o600);
}

export function openStore(path: string): Store {
  createPrivateFile(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // In WAL mode NORMAL never corrupts the file; a power cut can lose the last commits, which clients resend because
  // they keep a batch until it is acknowledged.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Deleted rows are overwritten with zeros, so a deletion request does not leave the data readable in free pages.
  db.pragma('secure_delete = ON');
  if (db.pragma('user_version', { simple: true }) === 0) {
    db.transaction(() => {
      db.exec(schema);
      db.pragma(`user_version = ${schemaVersion}`);
    }).immediate();
  }

  const insertInstallation = db.prepare<[string, Buffer, Buffer, string]>(
    'INSERT INTO installations (id, token_hash, uninstall_hash, created_at) VALUES (?, ?, ?, ?)',
  );
  const selectByUninstallHash = db.prepare<[Buffer], Installation>(
    'SELECT key, id FROM installations WHERE uninstall_hash = ?',
  );
  const selectByTokenHash = db.prepare<[Buffer], Installation>(
    'SELECT key, id FROM installations WHERE token_hash = ?',
  );
  const selectCreatedAt = db.prepare<[number], string>('SELECT created_at FROM installations WHERE key = ?').pluck();
  const selectBatch = db.prepare<[number, string], Pick<BatchRow, 'days' | 'fingerprint'>>(
    'SELECT days, fingerprint FROM batches WHERE installation = ? AND batch_id = ?',
  );
  const insertBatch = db.prepare<[number, string, string, number, number, string, Buffer]>(
    `INSERT INTO batches (installation, batch_id, received_at, days, policy_version, environment, fingerprint)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const upsertDay = db.prepare<[number, string, string, string]>(
    `INSERT INTO days (installation, date, batch_id, record) VALUES (?, ?, ?, ?)
     ON CONFLICT (installation, date) DO UPDATE SET batch_id = excluded.batch_id, record = excluded.record`,
  );
  const upsertSnapshot = db.prepare<[number, string, string, string, string]>(
    `INSERT INTO account_snapshots (installation, username, date, batch_id, record) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (installation, username, date) DO UPDATE SET batch_id = excluded.batch_id, record = excluded.record`,
  );
  const selectBatches = db.prepare<[number], BatchRow>(
    `SELECT batch_id, received_at, days, policy_version, environment, fingerprint
     FROM batches WHERE installation = ? ORDER BY rowid`,
  );
  const selectDays = db.prepare<[number], { batch_id: string; record: string }>(
    'SELECT batch_id, record FROM days WHERE installation = ? ORDER BY date',
  );
  const selectSnapshots = db.prepare<[number], { username: string; record: string }>(
    'SELECT username, record FROM account_snapshots WHERE installation = ? ORDER BY username, date',
  );
  const deletions = ['account_snapshots', 'days', 'batches'].map((table) =>
    db.prepare<[number]>(`DELETE FROM ${table} WHERE installation = ?`),
  );
  const deleteInstallation = db.prepare<[number]>('DELETE FROM installations WHERE key = ?');
  const selectOne = db.prepare('SELECT 1');

  const storeBatch = db.transaction(
    (installation: Installation, batch: UploadBatch, fingerprint: Buffer, receivedAt: string): StoreOutcome => {
      if (selectCreatedAt.get(installation.key) === undefined) return { kind: 'gone' };
      const previous = selectBatch.get(installation.key, batch.batchId);
      if (previous) {
        return previous.fingerprint.equals(fingerprint)
          ? { kind: 'duplicate', accepted: previous.days }
          : { kind: 'conflict' };
      }
      insertBatch.run(
        installation.key,
        batch.batchId,
        receivedAt,
        batch.days.length,
        batch.policyVersion,
        JSON.stringify(batch.environment),
        fingerprint,
      );
      for (const day of batch.days) upsertDay.run(installation.key, day.date, batch.batchId, JSON.stringify(day));
      for (const account of batch.accounts ?? []) {
        for (const snapshot of account.snapshots) {
          upsertSnapshot.run(
            installation.key,
            account.username,
            snapshot.date,
            batch.batchId,
            JSON.stringify(snapshot),
          );
        }
      }
      return { kind: 'stored', accepted: batch.days.length };
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
      const day = JSON.parse(row.record) as DayRecord;
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
        batchId: row.batch_id,
        receivedAt: row.received_at,
        days: row.days,
      })),
    };
  });

  const remove = db.transaction((installation: Installation): boolean => {
    for (const statement of deletions) statement.run(installation.key);
    return deleteInstallation.run(installation.key).changes > 0;
  });

  return {
    createInstallation: (id, tokenHash, uninstallHash, createdAt) => {
      insertInstallation.run(id, tokenHash, uninstallHash, createdAt);
    },
    deleteByUninstallHash: (uninstallHash) => {
      const installation = selectByUninstallHash.get(uninstallHash);
      return installation ? remove.immediate(installation) : false;
    },
    findByTokenHash: (tokenHash) => selectByTokenHash.get(tokenHash),
    storeBatch: (installation, batch, fingerprint, receivedAt) =>
      storeBatch.immediate(installation, batch, fingerprint, receivedAt),
    read: (installation) => read.deferred(installation),
    delete: (installation) => remove.immediate(installation),
    ping: () => {
      selectOne.get();
    },
    close: () => db.close(),
  };
}
