/**
 * `npm run server:admin -- <command> [server options]`: an operator's commands on the database the server would open
 * with the same options (`--database`, `SMARTTAGS_DATABASE`, …; the other server options are accepted and ignored).
 *
 * - `stats`: what the database holds, in numbers only (installations, days, snapshots, batches, tombstones, the oldest
 *   and newest day) — nothing about any one installation;
 * - `purge-inactive [--hours <n>]`: deletes now the installations that uploaded nothing in the `n` hours (default: the
 *   server's --expire-unused-hours) after registering, as the server's hourly sweep does, and says how many;
 * - `backup <file>`: a consistent copy of a SQLite database, taken while the server runs (PostgreSQL: pg_dump).
 *
 * Exit codes: 0 done, 1 the database cannot be opened or the command failed, 2 a bad command or option.
 */
import { ConfigError, describeDatabase, expiredTombstoneDays, parseCommandLine } from './config';
import { openStore, type Store } from './store';

const usage = `Usage: npm run server:admin -- <command> [--database <path|url>]

Commands:
  stats                      what the database holds, in numbers
  purge-inactive [--hours n] delete installations that uploaded nothing n hours after registering
                             (default: --expire-unused-hours, 24)
  backup <file>              copy a SQLite database consistently into a new file (PostgreSQL: use pg_dump)
`;

class UsageError extends Error {}

type Command =
  | { name: 'stats' }
  | { name: 'purge-inactive'; hours: number | undefined }
  | { name: 'backup'; path: string };

/** The command and its own arguments; what is left is the server's options. */
function commandOf(args: string[]): { command: Command; serverArgs: string[] } {
  const [name, ...rest] = args;
  if (name === 'stats') return { command: { name }, serverArgs: rest };
  if (name === 'purge-inactive') {
    let hours: number | undefined;
    const serverArgs: string[] = [];
    for (let index = 0; index < rest.length; index += 1) {
      const arg = rest[index] ?? '';
      const inline = /^--hours=(.*)$/.exec(arg);
      if (arg !== '--hours' && !inline) {
        serverArgs.push(arg);
        continue;
      }
      const text = inline ? inline[1] : rest[++index];
      hours = /^\d+$/.test(text ?? '') ? Number(text) : Number.NaN;
      if (!Number.isSafeInteger(hours) || hours < 1) throw new UsageError('--hours must be a whole number, at least 1');
    }
    return { command: { name, hours }, serverArgs };
  }
  if (name === 'backup') {
    const [path, ...serverArgs] = rest;
    if (!path || path.startsWith('-')) throw new UsageError('backup needs the file to write: backup <file>');
    return { command: { name, path }, serverArgs };
  }
  throw new UsageError(name === undefined ? 'a command is needed' : `unknown command: ${name}`);
}

async function run(store: Store, command: Command, expireUnusedHours: number): Promise<string> {
  if (command.name === 'stats') {
    const stats = await store.stats();
    return `${Object.entries(stats)
      .map(([key, value]) => `${key}: ${value ?? '—'}`)
      .join('\n')}\n`;
  }
  if (command.name === 'purge-inactive') {
    const now = Date.now();
    const hours = command.hours ?? expireUnusedHours;
    const purged = await store.expireUnused(
      new Date(now - hours * 3_600_000).toISOString(),
      new Date(now).toISOString(),
      new Date(now + expiredTombstoneDays * 86_400_000).toISOString(),
    );
    return `${purged} installation${purged === 1 ? '' : 's'} that uploaded nothing within ${hours} h deleted.\n`;
  }
  await store.backupTo(command.path);
  return `backed up to ${command.path}\n`;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h') {
    process.stdout.write(usage);
    return args.length === 0 ? 2 : 0;
  }
  let command: Command;
  let commandLine: ReturnType<typeof parseCommandLine>;
  try {
    let serverArgs: string[];
    ({ command, serverArgs } = commandOf(args));
    commandLine = parseCommandLine(serverArgs, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${usage}`);
    return 2;
  }
  if (commandLine.kind === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  const { database, expireUnusedHours } = commandLine.config;
  let store: Store;
  try {
    store = await openStore(database);
  } catch (error) {
    process.stderr.write(`${describeDatabase(database)}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  try {
    process.stdout.write(await run(store, command, expireUnusedHours));
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

process.exitCode = await main();
