/**
 * The server's storage, behind one asynchronous interface with two implementations:
 * - SQLite (./store-sqlite.ts), the default: one file, embedded, nothing to run beside the server;
 * - PostgreSQL (./store-postgres.ts), chosen with a `postgres://` URL: for more data than one file holds well, and for
 *   several server instances that must behave as one (their rate-limit counters live in the database too).
 * The same contract tests run against both (tests/server/store.test.ts and the HTTP suites parameterised by store).
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
 * Nothing else: no IP addresses (PostgreSQL's rate-limit counters hold a hash of the key, and only while its window
 * lasts), no request logs, no tokens.
 *
 * Every write is one transaction: an upload or a deletion applies fully or not at all, and is durable once answered.
 */
import type { DeletionReceipt, InstallationData, UploadBatch } from '../src/shared/contracts/upload';
import { storeKindOf } from './config';
import { openPostgresStore } from './store-postgres';
import { openSqliteStore } from './store-sqlite';
import type { Contribution } from './weekly-report';

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

/** One request counted against a fixed window: how many in the window so far, and how long until it ends. */
interface RateCount {
  count: number;
  ttlMs: number;
}

/** What the database holds, in numbers (the admin command's `stats`): nothing about any one installation. */
export interface StoreStats {
  installations: number;
  /** Installations that never stored a batch (expired by the hourly sweep once old enough). */
  installationsWithoutUploads: number;
  days: number;
  accountSnapshots: number;
  batches: number;
  tombstones: number;
  /** The oldest and newest stored day's date; null without days. */
  oldestDay: string | null;
  newestDay: string | null;
}

/** Rate-limit counters shared by every server instance on the same database. */
export interface RateCounter {
  /** Counts one request for `key` in a window of `windowMs` that starts with the key's first request. */
  hit(key: string, windowMs: number): Promise<RateCount>;
}

export interface Store {
  createInstallation(id: string, tokenHash: Buffer, uninstallHash: Buffer, createdAt: string): Promise<void>;
  findByTokenHash(tokenHash: Buffer): Promise<Installation | undefined>;
  /** The receipt of the deleted installation whose token hashes to this; undefined for a token never known. */
  findReceipt(tokenHash: Buffer): Promise<DeletionReceipt | undefined>;
  storeBatch(
    installation: Installation,
    batch: UploadBatch,
    fingerprint: Buffer,
    receivedAt: string,
  ): Promise<StoreOutcome>;
  /** Everything held for the installation, or undefined once it is deleted. */
  read(installation: Installation): Promise<InstallationData | undefined>;
  /**
   * Deletes the installation and everything held for it, leaves a tombstone and answers its receipt. When it was
   * deleted meanwhile (the uninstall link, another request), the receipt of that deletion.
   */
  delete(installation: Installation, deletedAt: string): Promise<DeletionReceipt | undefined>;
  /** Deletes the installation whose uninstall code hashes to this; false when there is none (already deleted). */
  deleteByUninstallHash(uninstallHash: Buffer, deletedAt: string): Promise<boolean>;
  /**
   * Deletes the installations created before `createdBefore` that never stored a batch, each leaving a tombstone kept
   * until `tombstonesUntil`; also drops the tombstones of earlier expiries past their time. Answers how many expired.
   */
  expireUnused(createdBefore: string, deletedAt: string, tombstonesUntil: string): Promise<number>;
  /**
   * Server-side retention: deletes every stored day and account snapshot dated before `date` (YYYY-MM-DD), whoever
   * uploaded it, in one transaction, and answers how many of each went.
   */
  deleteBefore(date: string): Promise<{ days: number; accountSnapshots: number }>;
  stats(): Promise<StoreStats>;
  /**
   * A consistent copy of the whole database in a new SQLite file at `path`, taken while the server may be writing
   * (SQLite's online backup). PostgreSQL has its own tool for this, pg_dump: there it throws and says so.
   */
  backupTo(path: string): Promise<void>;
  /**
   * What each installation stored for the dates from `from` to `to`: its days of those dates and the environment of
   * its latest batch — the input of a weekly aggregate report. An installation deleted before this is read is absent.
   */
  weekContributions(from: string, to: string): Promise<Contribution[]>;
  /** The published report of an ISO week (its JSON), or undefined before it was published. */
  findReport(week: string): Promise<string | undefined>;
  /**
   * Publishes a week's report unless one is published already, and answers the one that stands: the first one
   * published is frozen, whatever computes another later (another instance, a recomputation).
   */
  publishReport(week: string, report: string, publishedAt: string): Promise<string>;
  /**
   * Replaces a week's published report, or publishes it: the operator's recomputation only
   * (`server:admin -- report --week <week> --recompute`), never the public endpoint, which keeps what stands.
   */
  replaceReport(week: string, report: string, publishedAt: string): Promise<void>;
  /**
   * The rate-limit counters, when the store shares them between server instances; null when each server counts in
   * its own memory (SQLite: one server process per file, and a write per request would halve its throughput).
   */
  readonly rateCounter: RateCounter | null;
  /** Upkeep the server runs at start and every hour: drops ended rate-limit windows, prepares the coming partitions. */
  housekeeping(): Promise<void>;
  /** Throws when the database cannot answer (the health check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the database, creating it when it is a SQLite file that does not exist, and brings its schema up to date
 * (./migrations.ts). Throws DatabaseTooNewError for a database written by a newer server.
 */
export function openStore(database: string): Promise<Store> {
  return storeKindOf(database) === 'postgres' ? openPostgresStore(database) : openSqliteStore(database);
}
