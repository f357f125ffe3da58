/**
 * A database file written by the first release (schema version 1) opens under this server: migrated in place to
 * version 2, with everything it held readable and behaving under the version-2 rules.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../server/app';
import { openStore, schemaVersion } from '../../server/store';
import { deletionReceipt, installationData } from '../../src/shared/contracts/upload';
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

let directory: string;
let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  rmSync(directory, { recursive: true, force: true });
});

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
    directory = mkdtempSync(join(tmpdir(), 'smarttags-server-migration-'));
    const path = join(directory, 'v1.sqlite');
    const token = writeVersion1File(path);

    app = await buildApp({ databasePath: path });
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion);
    expect(schemaVersion).toBe(2);
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
    directory = mkdtempSync(join(tmpdir(), 'smarttags-server-migration-'));
    const path = join(directory, 'v1.sqlite');
    const token = writeVersion1File(path);
    app = await buildApp({ databasePath: path });

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

  it('refuses a file from a newer server rather than guess at it', () => {
    directory = mkdtempSync(join(tmpdir(), 'smarttags-server-migration-'));
    const path = join(directory, 'future.sqlite');
    const db = new Database(path);
    db.pragma('user_version = 3');
    db.close();
    expect(() => openStore(path)).toThrow(/schema version 3; this server knows versions up to 2/);
  });
});
