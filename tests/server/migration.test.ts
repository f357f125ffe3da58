/**
 * Schema migrations (server/migrations.ts). A SQLite file written by the first release (schema version 1) opens under
 * this server, migrated in place, with everything it held readable and behaving under the version-2 rules; a file as
 * the previous release wrote it (version 2, before migrations went through umzug) opens unchanged. A database written
 * by a newer server is refused, by the store, the server and the migration command, for both stores. PostgreSQL is
 * migrated once however many servers start on it at the same time.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../server/app';
import { DatabaseTooNewError } from '../../server/migrations';
import { openStore } from '../../server/store';
import { postgresMigrations } from '../../server/store-postgres';
import { sqliteMigrationStatus, sqliteMigrations } from '../../server/store-sqlite';
import { deletionReceipt, installationData } from '../../src/shared/contracts/upload';
import { describeEachStore, newDatabase, postgresAdminUrl, queryPostgres, type TestDatabase } from './databases';
import { bearer, makeBatch, makeBatchV2, makeDay, readData, upload } from './helpers';

/** The schema exactly as version 1 of server/store.ts created it. */
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

const environment = {
  browser: 'firefox',
  browserVersion: '145.0',
  os: 'linux',
  deviceType: 'desktop',
  timeZone: 'Europe/Berlin',
  country: 'DE',
};
const hash = (secret: string) => createHash('sha256').update(secret).digest();

let directory: string | undefined;
let app: App | undefined;
const databases: TestDatabase[] = [];
afterEach(async () => {
  await app?.close();
  app = undefined;
  if (directory) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
  for (const database of databases.splice(0)) await database.drop();
});

function temporaryFile(name: string): string {
  directory = mkdtempSync(join(tmpdir(), 'smarttags-server-migration-'));
  return join(directory, name);
}

/** A version-1 file with one installation that uploaded one batch: a day and a snapshot. */
function writeVersion1File(path: string) {
  const token = randomBytes(32).toString('base64url');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(schemaV1);
  db.pragma('user_version = 1');
  db.prepare('INSERT INTO installations VALUES (1, ?, ?, ?, ?)').run(
    'd3b07384-d9a0-4c9b-8f2e-3a1d5b0c7e11',
    hash(token),
    hash('uninstall-code-of-the-old-installation'),
    // Created long ago; it uploaded, so expiry leaves it alone.
    '2026-01-05T10:00:00.000Z',
  );
  db.prepare('INSERT INTO batches VALUES (1, ?, ?, 2, 1, ?, ?)').run(
    'old-batch-1',
    '2026-11-25T10:00:00.000Z',
    JSON.stringify(environment),
    randomBytes(32),
  );
  for (const date of ['2026-11-23', '2026-11-24']) {
    db.prepare('INSERT INTO days VALUES (1, ?, ?, ?)').run(date, 'old-batch-1', JSON.stringify(makeDay(date, 111_000)));
  }
  db.prepare('INSERT INTO account_snapshots VALUES (1, ?, ?, ?, ?)').run(
    'maya.rivers',
    '2026-11-24',
    'old-batch-1',
    JSON.stringify({
      date: '2026-11-24',
      observedAt: '2026-11-24T18:00:00.000Z',
      followers: { value: 100, exact: true },
      following: null,
      posts: null,
    }),
  );
  db.close();
  return token;
}

describe('migrating a version-1 database', () => {
  it('upgrades the file in place and serves what it held', async () => {
    const path = temporaryFile('v1.sqlite');
    const token = writeVersion1File(path);

    app = await buildApp({ database: path });
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(sqliteMigrations.length);
    expect(sqliteMigrations.map((migration) => migration.name)).toEqual([
      '0001-first-release',
      '0002-revisions-and-tombstones',
      '0003-weekly-reports',
    ]);
    expect(db.prepare('SELECT date, revision FROM days ORDER BY date').all()).toEqual([
      { date: '2026-11-23', revision: 0 },
      { date: '2026-11-24', revision: 0 },
    ]);
    expect(db.prepare('SELECT schema_version, accepted, stale, extra FROM batches').get()).toEqual({
      schema_version: 1,
      accepted: 2,
      stale: 0,
      extra: null,
    });
    expect(db.prepare('SELECT observed_at FROM account_snapshots').pluck().get()).toBe(
      Date.parse('2026-11-24T18:00:00.000Z'),
    );
    db.close();

    const data = installationData.parse((await readData(app, token)).json());
    expect(data.installationId).toBe('d3b07384-d9a0-4c9b-8f2e-3a1d5b0c7e11');
    expect(data.days.map((day) => [day.date, day.activeMs, day.revision])).toEqual([
      ['2026-11-23', 111_000, undefined],
      ['2026-11-24', 111_000, undefined],
    ]);
    expect(data.batches).toEqual([{ batchId: 'old-batch-1', receivedAt: '2026-11-25T10:00:00.000Z', days: 2 }]);
  });

  it('applies the version-2 rules to the migrated rows', async () => {
    const path = temporaryFile('v1.sqlite');
    const token = writeVersion1File(path);
    app = await buildApp({ database: path });

    // A migrated day is revision 0: a revised day replaces it, then a version-1 day no longer does.
    expect((await upload(app, token, makeBatchV2([[makeDay('2026-11-24', 222_000), 1]]))).json()).toMatchObject({
      accepted: 1,
    });
    expect((await upload(app, token, makeBatch([makeDay('2026-11-24', 333_000)]))).json()).toEqual({
      accepted: 0,
      duplicate: false,
    });
    // A snapshot observed before the migrated one does not replace it.
    const earlier = makeBatchV2([], {
      scopes: { usage: true, account: true, uploadUsage: true, uploadAccount: true },
      accounts: [
        {
          username: 'maya.rivers',
          snapshots: [
            {
              date: '2026-11-24',
              observedAt: '2026-11-24T09:00:00.000Z',
              followers: { value: 90, exact: true },
              following: null,
              posts: null,
            },
          ],
        },
      ],
    });
    expect((await upload(app, token, earlier)).statusCode).toBe(200);
    const data = installationData.parse((await readData(app, token)).json());
    expect(data.days.map((day) => day.activeMs)).toEqual([111_000, 222_000]);
    expect(data.accounts[0]?.snapshots[0]?.followers?.value).toBe(100);

    // Deleting it leaves a tombstone in the table the migration added.
    const deletion = await app.inject({ method: 'DELETE', url: '/v1/installations/me', headers: bearer(token) });
    expect(deletionReceipt.parse(deletion.json()).deleted).toEqual({ days: 2, accountSnapshots: 1, batches: 4 });
  });
});

/** What version 2 of server/store.ts added to version 1, exactly as it ran it. */
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

/**
 * A version-2 file as the release before umzug wrote it: one installation with a revised day, a batch with a field the
 * server does not know, and the tombstone of another installation deleted before.
 */
function writeVersion2File(path: string) {
  const token = randomBytes(32).toString('base64url');
  const deletedToken = randomBytes(32).toString('base64url');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(schemaV1);
  db.exec(migrationTo2);
  db.pragma('user_version = 2');
  db.prepare('INSERT INTO installations VALUES (1, ?, ?, ?, ?)').run(
    '0c7e11d3-b073-4d9a-8f2e-3a1d5b0c9c4b',
    hash(token),
    hash('uninstall-code-of-a-version-2-installation'),
    '2026-11-01T10:00:00.000Z',
  );
  db.prepare(
    `INSERT INTO batches (installation, batch_id, received_at, days, policy_version, environment, fingerprint,
       schema_version, accepted, stale, extra)
     VALUES (1, 'v2-batch', '2026-11-25T10:00:00.000Z', 1, 1, ?, ?, 2, 1, 0, '{"clientBuild":"2.0.0"}')`,
  ).run(JSON.stringify(environment), randomBytes(32));
  db.prepare("INSERT INTO days (installation, date, batch_id, record, revision) VALUES (1, ?, 'v2-batch', ?, 3)").run(
    '2026-11-24',
    JSON.stringify({ ...makeDay('2026-11-24', 444_000), revision: 3 }),
  );
  const receipt = {
    deletedAt: '2026-11-20T08:00:00.000Z',
    receiptId: 'f1d2c3b4-0000-4000-8000-000000000001',
    deleted: { days: 5, accountSnapshots: 0, batches: 2 },
  };
  db.prepare('INSERT INTO tombstones VALUES (?, ?, NULL)').run(hash(deletedToken), JSON.stringify(receipt));
  db.close();
  return { token, deletedToken, receipt };
}

describe('a version-2 file, from the release before the weekly reports', () => {
  it('gains the reports table, serves what it held and goes on storing', async () => {
    const path = temporaryFile('v2.sqlite');
    const { token, deletedToken, receipt } = writeVersion2File(path);
    expect(sqliteMigrationStatus(path)).toEqual({
      applied: ['0001-first-release', '0002-revisions-and-tombstones'],
      pending: ['0003-weekly-reports'],
    });

    app = await buildApp({ database: path });
    const data = installationData.parse((await readData(app, token)).json());
    expect(data.days.map((day) => [day.date, day.revision, day.activeMs])).toEqual([['2026-11-24', 3, 444_000]]);
    expect(data.batches).toEqual([
      { batchId: 'v2-batch', receivedAt: '2026-11-25T10:00:00.000Z', days: 1, clientBuild: '2.0.0' },
    ]);
    // The stored revision still holds: an older one is stale, a newer one replaces it.
    expect((await upload(app, token, makeBatchV2([[makeDay('2026-11-24', 1), 2]]))).json()).toMatchObject({
      accepted: 0,
      stale: 1,
    });
    expect((await upload(app, token, makeBatchV2([[makeDay('2026-11-24', 555_000), 4]]))).json()).toMatchObject({
      accepted: 1,
    });
    // The tombstone written by the release before still answers its receipt.
    const again = await app.inject({ method: 'DELETE', url: '/v1/installations/me', headers: bearer(deletedToken) });
    expect(again.json()).toEqual(receipt);
    await app.close();
    app = undefined;

    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare('SELECT count(*) AS reports FROM weekly_reports').get()).toEqual({ reports: 0 });
    db.close();
  });
});

describe('a database written by a newer server', () => {
  it('is refused by the SQLite store, naming what it does not know', async () => {
    const path = temporaryFile('future.sqlite');
    writeVersion2File(path);
    const db = new Database(path);
    db.pragma('user_version = 4');
    db.close();
    await expect(openStore(path)).rejects.toThrow(DatabaseTooNewError);
    await expect(openStore(path)).rejects.toThrow(
      /has schema migrations this server does not know \(version 4\); it knows up to 0003-weekly-reports/,
    );
    // Left as it was: nothing migrated, nothing written.
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(4);
    check.close();
  });

  it('stops the server at start with the reason, exit code 1', { timeout: 30_000 }, async () => {
    const path = temporaryFile('future.sqlite');
    writeVersion2File(path);
    const db = new Database(path);
    db.pragma('user_version = 7');
    db.close();
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'server/main.ts', '--port', '0', '--database', path],
      {
        cwd: new URL('../..', import.meta.url),
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Cannot start:');
    expect(result.stderr).toContain('the database was written by a newer server');
  });

  it.skipIf(postgresAdminUrl() === undefined)(
    'is refused by the PostgreSQL store, and by the migration command',
    { timeout: 30_000 },
    async () => {
      const created = await newDatabase('postgres');
      databases.push(created);
      await (await openStore(created.database)).close();
      await queryPostgres(created.database, "INSERT INTO schema_migrations (name) VALUES ('0003-from-the-future')");
      await expect(openStore(created.database)).rejects.toThrow(
        /has schema migrations this server does not know \(0003-from-the-future\); it knows up to 0002-weekly-reports/,
      );
      const command = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'server/migrate.ts', '--database', created.database, '--status'],
        { cwd: new URL('../..', import.meta.url), encoding: 'utf8' },
      );
      expect(command.status).toBe(1);
      expect(command.stderr).toContain('the database was written by a newer server');
    },
  );
});

describeEachStore('migrating', (kind) => {
  it('creates the schema on an empty database once, however many servers start on it at once', async () => {
    const created = await newDatabase(kind);
    databases.push(created);
    const stores = await Promise.all(Array.from({ length: 3 }, () => openStore(created.database)));
    for (const store of stores) await store.close();
    const migrations = kind === 'postgres' ? postgresMigrations : sqliteMigrations;
    const names = migrations.map((migration) => migration.name);
    if (kind === 'postgres') {
      const recorded = await queryPostgres<{ name: string }>(created.database, 'SELECT name FROM schema_migrations');
      expect(recorded.map((row) => row.name)).toEqual(names);
    } else {
      expect(sqliteMigrationStatus(created.database)).toEqual({ applied: names, pending: [] });
    }
  });

  it('is what `npm run server:migrate` does, and --status tells what is applied and pending', {
    timeout: 30_000,
  }, async () => {
    const created = await newDatabase(kind);
    databases.push(created);
    const migrate = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'server/migrate.ts', '--database', created.database, ...args], {
        cwd: new URL('../..', import.meta.url),
        encoding: 'utf8',
      });
    const names = (kind === 'postgres' ? postgresMigrations : sqliteMigrations).map((migration) => migration.name);
    const before = migrate('--status');
    expect(before.status).toBe(0);
    expect(before.stdout).toContain(kind === 'postgres' ? `pending: ${names.join(', ')}` : 'does not exist yet');
    const applied = migrate();
    expect(applied.status).toBe(0);
    expect(applied.stdout).toContain(`applied ${names.join(', ')}.`);
    // A second run has nothing to do.
    expect(migrate().stdout).toContain('is up to date.');
    expect(migrate('--status').stdout).toContain(`applied: ${names.join(', ')}\n  pending: none`);
  });
});
