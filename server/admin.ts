/**
 * `npm run server:admin -- <command> [server options]`: an operator's commands on the database the server would open
 * with the same options (`--database`, `SMARTTAGS_DATABASE`, …; the other server options are accepted and ignored).
 *
 * - `stats`: what the database holds, in numbers only (installations, days, snapshots, batches, tombstones, the oldest
 *   and newest day) — nothing about any one installation;
 * - `purge-inactive [--hours <n>]`: deletes now the installations that uploaded nothing in the `n` hours (default: the
 *   server's --expire-unused-hours) after registering, as the server's hourly sweep does, and says how many;
 * - `backup <file>`: a consistent copy of a SQLite database, taken while the server runs (PostgreSQL: pg_dump);
 * - `report --week <week> [--recompute]`: publishes an ended week's aggregate report now, as its first request would,
 *   and prints it; with `--recompute`, computes it again from what is stored now and replaces the published one (each
 *   computation draws new noise: docs/AGGREGATES.md says what that spends).
 *
 * Exit codes: 0 done, 1 the database cannot be opened or the command failed, 2 a bad command or option.
 */

import { aggregateReportPublishedFrom } from '../src/shared/domain/periods';
import { ConfigError, describeDatabase, expiredTombstoneDays, parseCommandLine, type ServerConfig } from './config';
import { computeReportOf, datesOfReportWeek } from './reports';
import { openStore, type Store } from './store';
import { cryptoRandom } from './weekly-report';

const usage = `Usage: npm run server:admin -- <command> [--database <path|url>]

Commands:
  stats                      what the database holds, in numbers
  purge-inactive [--hours n] delete installations that uploaded nothing n hours after registering
                             (default: --expire-unused-hours, 24)
  backup <file>              copy a SQLite database consistently into a new file (PostgreSQL: use pg_dump)
  report --week <week> [--recompute]
                             publish an ended ISO week's report (e.g. 2026-W48) and print it; --recompute
                             computes it again and replaces the published one (spends the week's budget again)

The server's --report-k and --report-epsilon options apply to report.
`;

class UsageError extends Error {}

type Command =
  | { name: 'stats' }
  | { name: 'purge-inactive'; hours: number | undefined }
  | { name: 'backup'; path: string }
  | { name: 'report'; week: string; recompute: boolean };

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
  if (name === 'report') {
    let week: string | undefined;
    let recompute = false;
    const serverArgs: string[] = [];
    for (let index = 0; index < rest.length; index += 1) {
      const arg = rest[index] ?? '';
      const inline = /^--week=(.*)$/.exec(arg);
      if (arg === '--recompute') recompute = true;
      else if (arg === '--week' || inline) week = inline ? inline[1] : rest[++index];
      else serverArgs.push(arg);
    }
    if (week === undefined || datesOfReportWeek(week) === null) {
      throw new UsageError('report needs an ISO week: report --week 2026-W48');
    }
    return { command: { name, week, recompute }, serverArgs };
  }
  throw new UsageError(name === undefined ? 'a command is needed' : `unknown command: ${name}`);
}

/** Publishes (or, asked to, recomputes) a week's report and answers it, as JSON; what happened goes to stderr. */
async function report(
  store: Store,
  { week, recompute }: Extract<Command, { name: 'report' }>,
  settings: ServerConfig['reports'],
): Promise<string> {
  const dates = datesOfReportWeek(week);
  if (!dates) throw new Error(`not an ISO week: ${week}`);
  const now = new Date().toISOString();
  const publishedFrom = aggregateReportPublishedFrom(dates);
  if (now < publishedFrom)
    throw new Error(`${week} is not over everywhere yet: its report can be computed from ${publishedFrom}`);
  const standing = await store.findReport(week);
  if (standing !== undefined && !recompute) {
    process.stderr.write(`${week} was already published; it stays as it is (--recompute replaces it).\n`);
    return `${standing}\n`;
  }
  const computed = await computeReportOf(store, week, dates, { ...settings, random: cryptoRandom, publishedAt: now });
  const text = JSON.stringify(computed);
  if (standing === undefined) {
    const published = await store.publishReport(week, text, now);
    process.stderr.write(`${week} published.\n`);
    return `${published}\n`;
  }
  await store.replaceReport(week, text, now);
  process.stderr.write(
    `${week} recomputed and replaced. Anyone who kept the previous report now has two noisy draws of that week: ` +
      'its privacy budget is spent twice (docs/AGGREGATES.md).\n',
  );
  return `${text}\n`;
}

async function run(store: Store, command: Command, config: ServerConfig): Promise<string> {
  if (command.name === 'stats') {
    const stats = await store.stats();
    return `${Object.entries(stats)
      .map(([key, value]) => `${key}: ${value ?? '—'}`)
      .join('\n')}\n`;
  }
  if (command.name === 'purge-inactive') {
    const now = Date.now();
    const hours = command.hours ?? config.expireUnusedHours;
    const purged = await store.expireUnused(
      new Date(now - hours * 3_600_000).toISOString(),
      new Date(now).toISOString(),
      new Date(now + expiredTombstoneDays * 86_400_000).toISOString(),
    );
    return `${purged} installation${purged === 1 ? '' : 's'} that uploaded nothing within ${hours} h deleted.\n`;
  }
  if (command.name === 'report') return report(store, command, config.reports);
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
  const { database } = commandLine.config;
  let store: Store;
  try {
    store = await openStore(database);
  } catch (error) {
    process.stderr.write(`${describeDatabase(database)}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  try {
    process.stdout.write(await run(store, command, commandLine.config));
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

process.exitCode = await main();
