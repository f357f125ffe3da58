/**
 * The PostgreSQL store, chosen with `--database postgres://…`: for more data than one SQLite file holds well, and for
 * several server instances on one database that must behave as one — uploads, deletions and expiry are safe to run
 * from any number of them at once, and the rate-limit counters are held here too (`rateCounter`).
 *
 * Concurrency, at READ COMMITTED: every write that concerns an installation first locks its row — an upload FOR KEY
 * SHARE (uploads of one installation run side by side), a deletion or an expiry FOR UPDATE (it waits for the uploads in
 * flight, and an upload that arrives after it finds the installation gone). An upload is one statement
 * (`storeBatchStatement`): one round trip, and all of it or nothing. The same batch sent twice at once is stored once:
 * the second fails on the batch's primary key, is rolled back whole and, run again, finds the first. Days and
 * snapshots are written in a fixed order, so two batches touching the same days cannot deadlock.
 *
 * `days` is partitioned by date (declarative range partitioning, one partition per calendar month, created when the
 * first day of that month arrives or ahead of time by the hourly upkeep; days before `partitionedFrom` share one
 * partition, so a client sending old dates cannot make the server create partitions without end). A weekly report
 * reads one or two partitions; dropping a month is dropping a table.
 *
 * Day records, environments and receipts are `json`, not `jsonb`: `json` keeps any text JSON.stringify writes, while
 * `jsonb` refuses the escapes `\u0000` and lone surrogates that the upload contract lets through in strings.
 */
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import type {
  DeletionReceipt,
  InstallationData,
  UploadBatch,
  UploadDay,
  UploadEnvironment,
} from '../src/shared/contracts/upload';
import { batchSummary, storedRevision, unknownBatchFields } from './batch-rows';
import { describeDatabase } from './config';
import { applyMigrations, type Migration, type MigrationStatus, statusOf } from './migrations';
import type { Installation, RateCounter, Store, StoreOutcome, StoreStats } from './store';

/** Days before this month share the partition `days_before_<year>`; from it on, one partition per month. */
export const partitionedFrom = '2020-01';

const schemaV1 = `
CREATE TABLE installations (
  key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text NOT NULL UNIQUE,
  token_hash bytea NOT NULL UNIQUE,
  uninstall_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
);
CREATE INDEX installations_created_at ON installations (created_at);
CREATE TABLE batches (
  installation bigint NOT NULL REFERENCES installations (key),
  batch_id text NOT NULL,
  arrival bigint GENERATED ALWAYS AS IDENTITY,
  received_at timestamptz NOT NULL,
  schema_version integer NOT NULL,
  days integer NOT NULL,
  accepted integer NOT NULL,
  stale integer NOT NULL,
  policy_version integer NOT NULL,
  environment json NOT NULL,
  extra json,
  fingerprint bytea NOT NULL,
  PRIMARY KEY (installation, batch_id)
);
CREATE TABLE days (
  installation bigint NOT NULL REFERENCES installations (key),
  date date NOT NULL,
  batch_id text NOT NULL,
  revision integer NOT NULL,
  record json NOT NULL,
  PRIMARY KEY (installation, date)
) PARTITION BY RANGE (date);
CREATE TABLE days_before_${partitionedFrom.slice(0, 4)} PARTITION OF days
  FOR VALUES FROM (MINVALUE) TO ('${partitionedFrom}-01');
CREATE TABLE account_snapshots (
  installation bigint NOT NULL REFERENCES installations (key),
  username text NOT NULL,
  date date NOT NULL,
  batch_id text NOT NULL,
  observed_at bigint NOT NULL,
  record json NOT NULL,
  PRIMARY KEY (installation, username, date)
);
CREATE TABLE tombstones (
  token_hash bytea PRIMARY KEY,
  receipt json NOT NULL,
  kept_until timestamptz
);
CREATE INDEX tombstones_kept_until ON tombstones (kept_until) WHERE kept_until IS NOT NULL;
-- Counters only matter for the length of their window: unlogged, they cost no WAL and no fsync, and a crash that
-- empties them only forgives the requests of one window.
CREATE UNLOGGED TABLE rate_limits (
  key bytea PRIMARY KEY,
  count integer NOT NULL,
  window_ends timestamptz NOT NULL
);
CREATE INDEX rate_limits_window_ends ON rate_limits (window_ends);
`;

/** In order; `schema_migrations` records those applied. Released ones are never changed, only added to. */
export const postgresMigrations: readonly Migration<pg.ClientBase>[] = [
  {
    name: '0001-initial',
    up: async (client) => {
      await client.query(schemaV1);
    },
  },
  {
    name: '0002-weekly-reports',
    up: async (client) => {
      // The weekly aggregate reports, each frozen once published.
      await client.query(
        'CREATE TABLE weekly_reports (week text PRIMARY KEY, report json NOT NULL, published_at timestamptz NOT NULL)',
      );
    },
  },
];

/** `pg_advisory_xact_lock` keys: the first is "SMTG", the second what the lock guards. */
const lockFor = { migrations: [0x534d5447, 1], partitions: [0x534d5447, 2] } as const;

/** Deadlocks and serialisation failures: PostgreSQL rolled the transaction back, and running it again is safe. */
const retryableCodes = new Set(['40P01', '40001']);

/** bigint (counts, keys) as a number: none of them comes near 2^53. Dates stay the `YYYY-MM-DD` text they are. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8) return Number;
    if (oid === pg.types.builtins.DATE) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

function createPool(url: string): pg.Pool {
  // Ten connections per instance: an upload holds one for a single statement, so more would only queue inside
  // PostgreSQL, whose connections each cost a process. The queries every request makes (counting it, finding its
  // token, storing an upload) are named: each connection prepares them once, and PostgreSQL does not plan them again
  // at every request.
  const pool = new pg.Pool({ connectionString: url, max: 10, types, application_name: 'smarttags-server' });
  // An idle connection that breaks (the database restarted) is dropped by the pool; without a listener the error
  // would end the process. The next query opens a new connection, and a request that fails meanwhile answers 500.
  pool.on('error', () => {});
  return pool;
}

async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      const code = (error as { code?: unknown }).code;
      if (attempt < 3 && typeof code === 'string' && retryableCodes.has(code)) continue;
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/** The month partition a date belongs in, or undefined for the one before `partitionedFrom`. */
function monthOf(date: string): string | undefined {
  const month = date.slice(0, 7);
  return month >= partitionedFrom ? month : undefined;
}

function partitionName(month: string): string {
  return `days_${month.replace('-', '_')}`;
}

/** `YYYY-MM` of the month after. */
function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const index = Number(month.slice(5, 7));
  return index === 12 ? `${year + 1}-01` : `${year}-${String(index + 1).padStart(2, '0')}`;
}

async function migrate(pool: pg.Pool, url: string): Promise<string[]> {
  return transaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...lockFor.migrations]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    return applyMigrations(describeDatabase(url), postgresMigrations, client, {
      applied: async () => appliedMigrations(client),
      add: async (name) => {
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
      },
    });
  });
}

async function appliedMigrations(client: pg.ClientBase): Promise<string[]> {
  const exists = await client.query<{ table: string | null }>("SELECT to_regclass('schema_migrations')::text AS table");
  if (exists.rows[0]?.table === null) return [];
  const rows = await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
  return rows.rows.map((row) => row.name);
}

/** What is applied and what is pending, without changing the database. */
export async function postgresMigrationStatus(url: string): Promise<MigrationStatus> {
  const pool = createPool(url);
  try {
    const client = await pool.connect();
    try {
      return statusOf(describeDatabase(url), postgresMigrations, await appliedMigrations(client));
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}

/** Migrates the database; answers the names of the migrations it applied. */
export async function migratePostgres(url: string): Promise<string[]> {
  const pool = createPool(url);
  try {
    return await migrate(pool, url);
  } finally {
    await pool.end();
  }
}

interface InstallationRow {
  key: number;
  id: string;
  token_hash: Buffer;
}

const installationOf = (row: InstallationRow): Installation => ({
  key: row.key,
  id: row.id,
  tokenHash: row.token_hash,
});

/** One snapshot per (username, date): of several in one batch, the one observed last (the later of equals). */
function latestSnapshots(batch: UploadBatch) {
  const latest = new Map<string, { username: string; date: string; observedAt: number; record: string }>();
  for (const account of batch.accounts ?? []) {
    for (const snapshot of account.snapshots) {
      const key = `${account.username} ${snapshot.date}`;
      const observedAt = Date.parse(snapshot.observedAt);
      const kept = latest.get(key);
      if (!kept || observedAt >= kept.observedAt) {
        latest.set(key, {
          username: account.username,
          date: snapshot.date,
          observedAt,
          record: JSON.stringify(snapshot),
        });
      }
    }
  }
  // The same order in every upload, so two batches writing the same snapshots lock them in the same order.
  return [...latest.values()].sort((a, b) =>
    a.username === b.username ? compare(a.date, b.date) : compare(a.username, b.username),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An upload in one statement, so one round trip and one commit. It locks the installation FOR KEY SHARE (`alive`: none
 * when it is deleted), looks for the batch id (`previous`), and only when the installation is there and the batch is
 * new stores the days, the snapshots and the batch row with its counts. Every day and snapshot is replaced only by an
 * equal or higher revision, or a later observation: a retry of an older version that arrives after a correction leaves
 * the correction (not returned, so counted as stale). When the same batch id is stored concurrently, the batch insert
 * fails on the primary key and the whole statement is rolled back, days included; run again, it finds that batch.
 *
 * $1 installation, $2 batch id, $3–$5 days (date, revision, record), $6–$9 snapshots (username, date, observed_at,
 * record), $10 received_at, $11 schema_version, $12 days, $13 policy_version, $14 environment, $15 extra,
 * $16 fingerprint. (A data-modifying WITH runs to its end whether or not the query reads it: `stored_snapshots` too.)
 */
const storeBatchStatement = `
WITH alive AS (
  SELECT key FROM installations WHERE key = $1 FOR KEY SHARE
), previous AS (
  SELECT accepted, stale, fingerprint FROM batches WHERE installation = $1 AND batch_id = $2
), fresh AS (
  SELECT key FROM alive WHERE NOT EXISTS (SELECT 1 FROM previous)
), stored_days AS (
  INSERT INTO days (installation, date, batch_id, revision, record)
  SELECT fresh.key, day.date, $2, day.revision, day.record
  FROM fresh, unnest($3::date[], $4::integer[], $5::json[]) WITH ORDINALITY AS day (date, revision, record, position)
  ORDER BY day.position
  ON CONFLICT (installation, date) DO UPDATE
    SET batch_id = excluded.batch_id, revision = excluded.revision, record = excluded.record
    WHERE excluded.revision >= days.revision
  RETURNING 1
), stored_snapshots AS (
  INSERT INTO account_snapshots (installation, username, date, batch_id, observed_at, record)
  SELECT fresh.key, snapshot.username, snapshot.date, $2, snapshot.observed_at, snapshot.record
  FROM fresh,
    unnest($6::text[], $7::date[], $8::bigint[], $9::json[]) WITH ORDINALITY
      AS snapshot (username, date, observed_at, record, position)
  ORDER BY snapshot.position
  ON CONFLICT (installation, username, date) DO UPDATE
    SET batch_id = excluded.batch_id, observed_at = excluded.observed_at, record = excluded.record
    WHERE excluded.observed_at >= account_snapshots.observed_at
  RETURNING 1
), stored_batch AS (
  INSERT INTO batches (installation, batch_id, received_at, schema_version, days, accepted, stale, policy_version,
    environment, extra, fingerprint)
  SELECT fresh.key, $2, $10, $11, $12, counted.accepted, $12 - counted.accepted, $13, $14, $15, $16
  FROM fresh, (SELECT count(*)::integer AS accepted FROM stored_days) AS counted
  RETURNING accepted, stale
)
SELECT
  EXISTS (SELECT 1 FROM alive) AS alive,
  (SELECT accepted FROM stored_batch) AS accepted,
  (SELECT stale FROM stored_batch) AS stale,
  (SELECT accepted FROM previous) AS previous_accepted,
  (SELECT stale FROM previous) AS previous_stale,
  (SELECT fingerprint FROM previous) AS previous_fingerprint`;

export async function openPostgresStore(url: string): Promise<Store> {
  const pool = createPool(url);
  try {
    await migrate(pool, url);
  } catch (error) {
    await pool.end();
    throw error;
  }

  /** Month partitions known to exist; another instance may create more, which `CREATE … IF NOT EXISTS` allows for. */
  const partitions = new Set<string>();
  /** Reads the partitions from the catalogue: at start, and when one this instance knew of has been dropped. */
  const loadPartitions = async () => {
    const existing = await pool.query<{ name: string }>(
      "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'days'::regclass",
    );
    partitions.clear();
    for (const { name } of existing.rows) partitions.add(name);
  };
  await loadPartitions();

  /** Partitions this instance is creating: uploads that need the same month wait for that one creation. */
  const creating = new Map<string, Promise<void>>();
  /**
   * Creates a month's partition in its own short transaction, before the upload's: creating a partition locks the whole
   * `days` table for a moment, which must not be held for a whole upload. Instances serialise on an advisory lock, so
   * two of them creating the same month cannot collide.
   */
  const createPartition = (month: string): Promise<void> => {
    let pending = creating.get(month);
    if (!pending) {
      pending = transaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...lockFor.partitions]);
        // The name and bounds come from validated calendar dates: digits and dashes only.
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${partitionName(month)} PARTITION OF days
             FOR VALUES FROM ('${month}-01') TO ('${nextMonth(month)}-01')`,
        );
      })
        .then(() => {
          partitions.add(partitionName(month));
        })
        .finally(() => creating.delete(month));
      creating.set(month, pending);
    }
    return pending;
  };
  /** Creates the month partitions these dates need, one after the other (each holds a connection while it waits). */
  const ensurePartitions = async (dates: readonly string[]) => {
    const missing = new Set(dates.flatMap((date) => monthOf(date) ?? []));
    for (const month of [...missing].sort()) {
      if (!partitions.has(partitionName(month))) await createPartition(month);
    }
  };

  const findReceipt = async (client: pg.ClientBase | pg.Pool, tokenHash: Buffer) => {
    const result = await client.query<{ receipt: DeletionReceipt }>(
      'SELECT receipt FROM tombstones WHERE token_hash = $1',
      [tokenHash],
    );
    return result.rows[0]?.receipt;
  };

  /** Deletes one installation's rows and leaves its tombstone; the caller holds the transaction and the row lock. */
  const removeInstallation = async (
    client: pg.ClientBase,
    installation: Installation,
    deletedAt: string,
    keptUntil: string | null,
  ): Promise<DeletionReceipt> => {
    const remove = async (table: 'days' | 'account_snapshots' | 'batches') =>
      (await client.query(`DELETE FROM ${table} WHERE installation = $1`, [installation.key])).rowCount ?? 0;
    const deleted = {
      days: await remove('days'),
      accountSnapshots: await remove('account_snapshots'),
      batches: await remove('batches'),
    };
    await client.query('DELETE FROM installations WHERE key = $1', [installation.key]);
    const receipt: DeletionReceipt = { deletedAt, receiptId: randomUUID(), deleted };
    await client.query(
      `INSERT INTO tombstones (token_hash, receipt, kept_until) VALUES ($1, $2, $3)
       ON CONFLICT (token_hash) DO UPDATE SET receipt = excluded.receipt, kept_until = excluded.kept_until`,
      [installation.tokenHash, JSON.stringify(receipt), keptUntil],
    );
    return receipt;
  };

  const storeBatch = async (
    installation: Installation,
    batch: UploadBatch,
    fingerprint: Buffer,
    receivedAt: string,
  ): Promise<StoreOutcome> => {
    await ensurePartitions(batch.days.map((day) => day.date));
    // In date order, the same in every statement (see the header).
    const days = [...batch.days].sort((a, b) => compare(a.date, b.date));
    const snapshots = latestSnapshots(batch);
    const values = [
      installation.key,
      batch.batchId,
      days.map((day) => day.date),
      days.map((day) => storedRevision(batch, day)),
      days.map((day) => JSON.stringify(day)),
      snapshots.map((snapshot) => snapshot.username),
      snapshots.map((snapshot) => snapshot.date),
      snapshots.map((snapshot) => snapshot.observedAt),
      snapshots.map((snapshot) => snapshot.record),
      receivedAt,
      batch.schemaVersion,
      batch.days.length,
      batch.policyVersion,
      JSON.stringify(batch.environment),
      unknownBatchFields(batch),
      fingerprint,
    ];
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await pool.query<{
          alive: boolean;
          accepted: number | null;
          stale: number | null;
          previous_accepted: number | null;
          previous_stale: number | null;
          previous_fingerprint: Buffer | null;
        }>({ name: 'store-batch', text: storeBatchStatement, values });
        const row = result.rows[0];
        if (!row?.alive) return { kind: 'gone' };
        if (row.accepted !== null && row.stale !== null) {
          return { kind: 'stored', accepted: row.accepted, stale: row.stale };
        }
        if (row.previous_fingerprint === null || row.previous_accepted === null || row.previous_stale === null) {
          throw new Error('a batch neither stored nor found');
        }
        return row.previous_fingerprint.equals(fingerprint)
          ? { kind: 'duplicate', accepted: row.previous_accepted, stale: row.previous_stale }
          : { kind: 'conflict' };
      } catch (error) {
        // The same batch id stored by another request meanwhile: this statement was rolled back whole, and run again
        // it finds that batch (a duplicate, or a conflict).
        const { code, constraint } = error as { code?: unknown; constraint?: unknown };
        const raced = code === '23505' && constraint === 'batches_pkey';
        if (attempt < 3 && (raced || (typeof code === 'string' && retryableCodes.has(code)))) continue;
        // No partition for a day: an operator dropped a month this instance knew of. Learn the partitions again.
        if (attempt < 3 && code === '23514') {
          await loadPartitions();
          await ensurePartitions(days.map((day) => day.date));
          continue;
        }
        throw error;
      }
    }
  };

  const read = (installation: Installation) =>
    // One snapshot of the database, so the days, snapshots and batches come from the same moment.
    transaction(
      pool,
      async (client): Promise<InstallationData | undefined> => {
        const created = await client.query<{ created_at: Date }>(
          'SELECT created_at FROM installations WHERE key = $1',
          [installation.key],
        );
        const createdAt = created.rows[0]?.created_at;
        if (!createdAt) return undefined;
        const batchRows = await client.query<{
          batch_id: string;
          received_at: Date;
          days: number;
          policy_version: number;
          environment: UploadEnvironment;
          extra: Record<string, unknown> | null;
        }>(
          `SELECT batch_id, received_at, days, policy_version, environment, extra
           FROM batches WHERE installation = $1 ORDER BY arrival`,
          [installation.key],
        );
        const batches = new Map(batchRows.rows.map((row) => [row.batch_id, row]));
        const dayRows = await client.query<{ batch_id: string; record: UploadDay }>(
          'SELECT batch_id, record FROM days WHERE installation = $1 ORDER BY date',
          [installation.key],
        );
        const days = dayRows.rows.flatMap((row) => {
          const batch = batches.get(row.batch_id);
          // A day's batch is always stored (batches go only with their installation); flatMap keeps the type honest.
          if (!batch) return [];
          return [
            {
              ...row.record,
              receivedAt: batch.received_at.toISOString(),
              policyVersion: batch.policy_version,
              environment: batch.environment,
            },
          ];
        });
        // Usernames in code-point order whatever the database's collation, as SQLite orders them.
        const snapshotRows = await client.query<{
          username: string;
          record: InstallationData['accounts'][number]['snapshots'][number];
        }>(
          'SELECT username, record FROM account_snapshots WHERE installation = $1 ORDER BY username COLLATE "C", date',
          [installation.key],
        );
        const accounts = new Map<string, InstallationData['accounts'][number]>();
        for (const row of snapshotRows.rows) {
          let account = accounts.get(row.username);
          if (!account) {
            account = { username: row.username, snapshots: [] };
            accounts.set(row.username, account);
          }
          account.snapshots.push(row.record);
        }
        return {
          installationId: installation.id,
          createdAt: createdAt.toISOString(),
          days,
          accounts: [...accounts.values()],
          batches: batchRows.rows.map((row) =>
            batchSummary({
              batchId: row.batch_id,
              receivedAt: row.received_at.toISOString(),
              days: row.days,
              extra: row.extra,
            }),
          ),
        };
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );

  const rateCounter: RateCounter = {
    hit: async (key, windowMs) => {
      // The key names an IP address or an installation: only its hash is written. The database's clock, so instances
      // whose clocks differ still share one window.
      const result = await pool.query<{ count: number; ttl_ms: number }>({
        name: 'count-request',
        text: `INSERT INTO rate_limits AS counter (key, count, window_ends)
         VALUES ($1, 1, clock_timestamp() + $2 * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN counter.window_ends <= clock_timestamp() THEN 1 ELSE counter.count + 1 END,
           window_ends = CASE WHEN counter.window_ends <= clock_timestamp() THEN excluded.window_ends
                         ELSE counter.window_ends END
         RETURNING count, ceil(extract(epoch FROM window_ends - clock_timestamp()) * 1000)::bigint AS ttl_ms`,
        values: [createHash('sha256').update(key).digest(), windowMs],
      });
      const row = result.rows[0];
      if (!row) throw new Error('the rate-limit counter answered no row');
      return { count: row.count, ttlMs: Math.max(0, row.ttl_ms) };
    },
  };

  return {
    createInstallation: async (id, tokenHash, uninstallHash, createdAt) => {
      await pool.query(
        'INSERT INTO installations (id, token_hash, uninstall_hash, created_at) VALUES ($1, $2, $3, $4)',
        [id, tokenHash, uninstallHash, createdAt],
      );
    },
    findByTokenHash: async (tokenHash) => {
      const result = await pool.query<InstallationRow>({
        name: 'installation-by-token',
        text: 'SELECT key, id, token_hash FROM installations WHERE token_hash = $1',
        values: [tokenHash],
      });
      const row = result.rows[0];
      return row && installationOf(row);
    },
    findReceipt: (tokenHash) => findReceipt(pool, tokenHash),
    storeBatch,
    read,
    delete: (installation, deletedAt) =>
      transaction(pool, async (client) => {
        const row = await client.query('SELECT 1 FROM installations WHERE key = $1 FOR UPDATE', [installation.key]);
        if (row.rowCount === 0) return findReceipt(client, installation.tokenHash);
        return removeInstallation(client, installation, deletedAt, null);
      }),
    deleteByUninstallHash: (uninstallHash, deletedAt) =>
      transaction(pool, async (client) => {
        const result = await client.query<InstallationRow>(
          'SELECT key, id, token_hash FROM installations WHERE uninstall_hash = $1 FOR UPDATE',
          [uninstallHash],
        );
        const row = result.rows[0];
        if (!row) return false;
        await removeInstallation(client, installationOf(row), deletedAt, null);
        return true;
      }),
    expireUnused: (createdBefore, deletedAt, tombstonesUntil) =>
      transaction(pool, async (client) => {
        await client.query('DELETE FROM tombstones WHERE kept_until IS NOT NULL AND kept_until < $1', [deletedAt]);
        // SKIP LOCKED: an installation an upload is writing to right now is not unused; another instance's sweep may
        // be expiring the others.
        const candidates = await client.query<InstallationRow>(
          `SELECT key, id, token_hash FROM installations
           WHERE created_at < $1 AND NOT EXISTS (SELECT 1 FROM batches WHERE batches.installation = installations.key)
           FOR UPDATE SKIP LOCKED`,
          [createdBefore],
        );
        let expired = 0;
        for (const row of candidates.rows) {
          // Checked again now that the row is locked: an upload may have committed between the query and the lock.
          const used = await client.query('SELECT 1 FROM batches WHERE installation = $1 LIMIT 1', [row.key]);
          if (used.rowCount !== 0) continue;
          await removeInstallation(client, installationOf(row), deletedAt, tombstonesUntil);
          expired += 1;
        }
        return expired;
      }),
    deleteBefore: (date) =>
      transaction(pool, async (client) => {
        const days = await client.query('DELETE FROM days WHERE date < $1', [date]);
        const snapshots = await client.query('DELETE FROM account_snapshots WHERE date < $1', [date]);
        return { days: days.rowCount ?? 0, accountSnapshots: snapshots.rowCount ?? 0 };
      }),
    stats: async () => {
      const result = await pool.query<Record<keyof StoreStats, string | null>>(
        `SELECT
           (SELECT count(*) FROM installations) AS "installations",
           (SELECT count(*) FROM installations
              WHERE NOT EXISTS (SELECT 1 FROM batches WHERE batches.installation = installations.key))
             AS "installationsWithoutUploads",
           (SELECT count(*) FROM days) AS "days",
           (SELECT count(*) FROM account_snapshots) AS "accountSnapshots",
           (SELECT count(*) FROM batches) AS "batches",
           (SELECT count(*) FROM tombstones) AS "tombstones",
           (SELECT to_char(min(date), 'YYYY-MM-DD') FROM days) AS "oldestDay",
           (SELECT to_char(max(date), 'YYYY-MM-DD') FROM days) AS "newestDay"`,
      );
      const row = result.rows[0];
      if (!row) throw new Error('the statistics query answered no row');
      const count = (value: string | null) => Number(value ?? 0);
      return {
        installations: count(row.installations),
        installationsWithoutUploads: count(row.installationsWithoutUploads),
        days: count(row.days),
        accountSnapshots: count(row.accountSnapshots),
        batches: count(row.batches),
        tombstones: count(row.tombstones),
        oldestDay: row.oldestDay,
        newestDay: row.newestDay,
      };
    },
    weekContributions: async (from, to) => {
      // One snapshot, so every installation's days and environment come from the same moment; the date range reads
      // one or two partitions.
      const rows = await transaction(pool, async (client) =>
        client.query<{ installation: string; record: UploadDay; environment: UploadEnvironment }>(
          // Each installation's latest environment looked up once, not once per day.
          `WITH week AS (SELECT installation, date, record FROM days WHERE date BETWEEN $1 AND $2),
           latest AS (
             SELECT DISTINCT ON (installation) installation, environment FROM batches
             WHERE installation IN (SELECT installation FROM week) ORDER BY installation, arrival DESC
           )
           SELECT week.installation, week.record, latest.environment
           FROM week JOIN latest USING (installation)
           ORDER BY week.installation, week.date`,
          [from, to],
        ),
      );
      const byInstallation = new Map<string, { environment: UploadEnvironment; days: UploadDay[] }>();
      for (const row of rows.rows) {
        const contribution = byInstallation.get(row.installation) ?? { environment: row.environment, days: [] };
        contribution.days.push(row.record);
        byInstallation.set(row.installation, contribution);
      }
      return [...byInstallation.values()];
    },
    findReport: async (week) => {
      const result = await pool.query<{ report: string }>(
        'SELECT report::text AS report FROM weekly_reports WHERE week = $1',
        [week],
      );
      return result.rows[0]?.report;
    },
    publishReport: async (week, report, publishedAt) => {
      await pool.query(
        'INSERT INTO weekly_reports (week, report, published_at) VALUES ($1, $2, $3) ON CONFLICT (week) DO NOTHING',
        [week, report, publishedAt],
      );
      // A new statement, so a report another instance committed meanwhile is seen: the first one published stands.
      const stored = await pool.query<{ report: string }>(
        'SELECT report::text AS report FROM weekly_reports WHERE week = $1',
        [week],
      );
      return stored.rows[0]?.report ?? report;
    },
    replaceReport: async (week, report, publishedAt) => {
      await pool.query(
        `INSERT INTO weekly_reports (week, report, published_at) VALUES ($1, $2, $3)
         ON CONFLICT (week) DO UPDATE SET report = excluded.report, published_at = excluded.published_at`,
        [week, report, publishedAt],
      );
    },
    backupTo: async () => {
      throw new Error(
        'A PostgreSQL database is backed up with its own tool: pg_dump --format=custom (docs/SERVER.md, "Backups").',
      );
    },
    rateCounter,
    housekeeping: async () => {
      await pool.query('DELETE FROM rate_limits WHERE window_ends < clock_timestamp()');
      // This month's and next month's partitions, so the first upload of a month does not create one.
      const thisMonth = new Date().toISOString().slice(0, 7);
      await ensurePartitions([`${thisMonth}-01`, `${nextMonth(thisMonth)}-01`]);
    },
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}
