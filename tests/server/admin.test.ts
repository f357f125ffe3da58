/**
 * The operator's command (`npm run server:admin`), run as an operator runs it — its own process, on the database a
 * server uses — against both stores: `stats` counts without naming anyone, `purge-inactive` deletes only
 * installations that never uploaded, `backup` copies a SQLite database into a file that opens as the same data.
 * Each command is a process of its own started through tsx, a few seconds each on a busy machine: hence the timeouts.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openStore } from '../../server/store';
import { weeklyAggregateReport } from '../../src/shared/contracts/aggregateReport';
import { describeEachStore, newDatabase } from './databases';
import {
  bearer,
  createInstallation,
  installationsUploadingDays,
  makeBatch,
  makeDay,
  readData,
  startServer,
  type TestServer,
  upload,
} from './helpers';

let server: TestServer | undefined;
let backups: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (backups) rmSync(backups, { recursive: true, force: true });
  backups = undefined;
});

function admin(database: string, ...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/admin.ts', ...args, '--database', database], {
    cwd: new URL('../..', import.meta.url),
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describeEachStore('npm run server:admin', (kind) => {
  it('stats: counts of what is held, and nothing that names an installation', async () => {
    server = await startServer({}, kind);
    const { token, installationId } = await createInstallation(server.app);
    await upload(server.app, token, makeBatch([makeDay('2026-11-23'), makeDay('2026-11-24')]));
    await createInstallation(server.app);
    const result = admin(server.database, 'stats');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('installations: 2');
    expect(result.stdout).toContain('installationsWithoutUploads: 1');
    expect(result.stdout).toContain('days: 2');
    expect(result.stdout).toContain('oldestDay: 2026-11-23');
    expect(result.stdout).not.toContain(installationId);
    expect(result.stdout).not.toContain(token);
  }, 60_000);

  it('purge-inactive: deletes the installations that never uploaded within the hours given, and no other', async () => {
    server = await startServer({}, kind);
    const used = await createInstallation(server.app);
    await upload(server.app, used.token, makeBatch([makeDay('2026-11-24')]));
    // Registered two hours ago and silent since (written to the store directly: the server stamps the time now).
    const store = await openStore(server.database);
    const silentToken = 'token-of-a-silent-installation';
    const hash = (text: string) => createHash('sha256').update(text).digest();
    try {
      const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString();
      await store.createInstallation('silent', hash(silentToken), hash('uninstall-silent'), twoHoursAgo);
    } finally {
      await store.close();
    }
    const kept = admin(server.database, 'purge-inactive', '--hours', '3');
    expect(kept).toMatchObject({ status: 0, stdout: '0 installations that uploaded nothing within 3 h deleted.\n' });
    const purged = admin(server.database, 'purge-inactive', '--hours=1');
    expect(purged).toMatchObject({ status: 0, stdout: '1 installation that uploaded nothing within 1 h deleted.\n' });
    expect((await readData(server.app, silentToken)).statusCode).toBe(401);
    expect((await readData(server.app, used.token)).json().days).toHaveLength(1);
  }, 60_000);

  it('backup: a consistent copy of a SQLite database; PostgreSQL is pointed to pg_dump', async () => {
    server = await startServer({}, kind);
    const { token } = await createInstallation(server.app);
    await upload(server.app, token, makeBatch([makeDay('2026-11-24')]));
    backups = mkdtempSync(join(tmpdir(), 'smarttags-backup-'));
    const file = join(backups, 'copy.sqlite');
    const result = admin(server.database, 'backup', file);
    if (kind === 'postgres') {
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('pg_dump');
      return;
    }
    expect(result).toMatchObject({ status: 0, stdout: `backed up to ${file}\n` });
    const restored = await openStore(file);
    try {
      expect(await restored.stats()).toMatchObject({ installations: 1, days: 1, batches: 1 });
    } finally {
      await restored.close();
    }
    // Never over an existing file.
    expect(admin(server.database, 'backup', file)).toMatchObject({ status: 1 });
  }, 60_000);

  it('report: publishes an ended week as its first request would, keeps it frozen, recomputes only when asked', async () => {
    server = await startServer({ rateLimits: { registrationsPerIp: 1000 } }, kind);
    const week = '2026-W48'; // Monday 23 to Sunday 29 November 2026: over, whenever this runs
    const [leaving] = await installationsUploadingDays(server, 20, ['2026-11-23', '2026-11-26']);
    const first = admin(server.database, 'report', '--week', week);
    expect(first).toMatchObject({ status: 0, stderr: `${week} published.\n` });
    const published = weeklyAggregateReport.parse(JSON.parse(first.stdout));
    expect(published.tags.top.map((entry) => entry.tag)).toEqual(['sourdough']);
    // What the public endpoint then serves is that same report.
    const served = await server.app.inject({ method: 'GET', url: `/v1/reports/weekly/${week}` });
    expect(served.body).toBe(first.stdout.trim());

    // Asked again without --recompute: the frozen report, untouched.
    const again = admin(server.database, 'report', `--week=${week}`);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(again.stderr).toContain('already published');

    // An installation deleted since: a recomputation leaves it out (19 < k), and replaces what is served.
    await server.app.inject({ method: 'DELETE', url: '/v1/installations/me', headers: bearer(leaving ?? '') });
    const recomputed = admin(server.database, 'report', '--week', week, '--recompute');
    expect(recomputed.status).toBe(0);
    expect(recomputed.stderr).toContain('spent twice');
    expect(weeklyAggregateReport.parse(JSON.parse(recomputed.stdout))).toMatchObject({
      cohorts: [],
      tags: { top: [] },
    });
    const servedNow = await server.app.inject({ method: 'GET', url: `/v1/reports/weekly/${week}` });
    expect(servedNow.body).toBe(recomputed.stdout.trim());
  }, 180_000);

  it('report: refuses a week that is not over everywhere', async () => {
    server = await startServer({}, kind);
    const result = admin(server.database, 'report', '--week', '2099-W01');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('not over everywhere yet');
  }, 60_000);
});

it('refuses an unknown command or a bad option with its usage, exit 2', async () => {
  const database = await newDatabase('sqlite');
  try {
    expect(admin(database.database, 'frobnicate')).toMatchObject({ status: 2 });
    expect(admin(database.database, 'frobnicate').stderr).toContain('unknown command: frobnicate');
    expect(admin(database.database, 'purge-inactive', '--hours', 'soon')).toMatchObject({ status: 2 });
    expect(admin(database.database, 'backup')).toMatchObject({ status: 2 });
    expect(admin(database.database, 'report')).toMatchObject({ status: 2 });
    expect(admin(database.database, 'report', '--week', 'last-week').stderr).toContain('report needs an ISO week');
  } finally {
    await database.drop();
  }
}, 60_000);
