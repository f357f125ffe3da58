/**
 * `npm run server:migrate -- [server options] [--status]`: brings the database to this version's schema, or with
 * `--status` only says which migrations are applied and which are pending. It reads the database setting exactly as
 * the server does (`--database`, `SMARTTAGS_DATABASE`, …; the other server options are accepted and ignored), so it
 * takes the same command line. The server also migrates when it starts; running this first lets an operator upgrade
 * the schema once, before starting several new instances, and see the outcome. Exit codes: 0 done, 1 the database is
 * newer than this server or cannot be reached, 2 a bad option.
 */
import { existsSync } from 'node:fs';
import { ConfigError, describeDatabase, parseCommandLine, storeKindOf } from './config';
import type { MigrationStatus } from './migrations';
import { migratePostgres, postgresMigrationStatus } from './store-postgres';
import { migrateSqlite, sqliteMigrationStatus } from './store-sqlite';

const usage =
  'Usage: npm run server:migrate -- [--database <path|url>] [--status]\n\n' +
  'Migrates the database the server would open with the same options (default: the SQLite file under server/data)\n' +
  'to this version; --status only lists the migrations applied and pending.\n';

function statusOf(database: string): Promise<MigrationStatus> | MigrationStatus | undefined {
  if (storeKindOf(database) === 'postgres') return postgresMigrationStatus(database);
  return existsSync(database) ? sqliteMigrationStatus(database) : undefined;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const statusOnly = args.includes('--status');
  let commandLine: ReturnType<typeof parseCommandLine>;
  try {
    commandLine = parseCommandLine(
      args.filter((arg) => arg !== '--status'),
      process.env,
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n\n${usage}`);
    return 2;
  }
  if (commandLine.kind === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  const { database } = commandLine.config;
  const name = describeDatabase(database);
  try {
    if (statusOnly) {
      const status = await statusOf(database);
      if (!status) {
        process.stdout.write(`${name} does not exist yet: the server or this command without --status creates it.\n`);
        return 0;
      }
      process.stdout.write(
        `${name}\n  applied: ${status.applied.join(', ') || 'none'}\n  pending: ${status.pending.join(', ') || 'none'}\n`,
      );
      return 0;
    }
    const applied =
      storeKindOf(database) === 'postgres' ? await migratePostgres(database) : await migrateSqlite(database);
    process.stdout.write(
      applied.length === 0 ? `${name} is up to date.\n` : `${name}: applied ${applied.join(', ')}.\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main();
