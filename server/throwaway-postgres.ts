/**
 * A throwaway PostgreSQL server for the tests and the benchmark: a new cluster in a temporary directory (initdb),
 * listening only on a Unix socket inside that directory (no TCP port, so it never collides with another server), with
 * trust authentication for the user `postgres`; stopped and removed afterwards. It uses the binaries of Debian's
 * `postgresql` package (/usr/lib/postgresql/<version>/bin, the newest version there) or an `initdb` on the PATH.
 * PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` user the package creates.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const postgresHowTo =
  'Install PostgreSQL (Debian: apt-get install -y postgresql; the tests start a throwaway server of their own with ' +
  'its initdb), or set SMARTTAGS_TEST_POSTGRES to the postgres:// URL of a server where the user may create databases.';

/** The directory holding initdb and pg_ctl, or undefined when PostgreSQL is not installed. */
function findPostgresBinaries(): string | undefined {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((version) => existsSync(join(debian, version, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(debian, versions[0], 'bin');
  }
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  return onPath === '' ? undefined : join(onPath, '..');
}

export interface ThrowawayPostgres {
  /** The URL of a database on this server (`postgres`, the maintenance database, by default). */
  url(database?: string): string;
  stop(): Promise<void>;
}

/** The uid and gid of a user, from `id`; undefined when there is no such user. */
function userIds(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Starts the server. `durable` false turns off fsync and synchronous commits: faster for tests, which throw the data
 * away; the benchmark keeps PostgreSQL's defaults, which is what a deployment runs.
 */
export async function startThrowawayPostgres(options: { durable: boolean }): Promise<ThrowawayPostgres> {
  const binaries = findPostgresBinaries();
  if (!binaries) throw new Error(`PostgreSQL is not installed. ${postgresHowTo}`);
  const directory = mkdtempSync(join(tmpdir(), 'smarttags-pg-'));
  let command = (program: string, args: string[]) => run(join(binaries, program), args);
  if (process.getuid?.() === 0) {
    const owner = userIds('postgres');
    if (!owner) {
      rmSync(directory, { recursive: true, force: true });
      throw new Error('PostgreSQL does not run as root, and there is no user "postgres" to run it as');
    }
    chownSync(directory, owner.uid, owner.gid);
    command = (program, args) => run('runuser', ['-u', 'postgres', '--', join(binaries, program), ...args]);
  }
  const data = join(directory, 'data');
  const settings = [
    "listen_addresses=''",
    `unix_socket_directories='${directory}'`,
    'port=5432',
    ...(options.durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
  ];
  try {
    await command('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    await command('pg_ctl', [
      '-D',
      data,
      '-l',
      join(directory, 'server.log'),
      '-w',
      '-o',
      settings.map((setting) => `-c ${setting}`).join(' '),
      'start',
    ]);
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    url: (database = 'postgres') => `postgres://postgres@localhost/${database}?host=${encodeURIComponent(directory)}`,
    stop: async () => {
      try {
        await command('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}
