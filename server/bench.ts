/**
 * `npm run bench:server`: upload load against the reference server on loopback, once per store. Not part of the tests.
 *
 * For each store (SQLite, then PostgreSQL; `--store sqlite|postgres` runs one) it starts the server as its own process
 * (default settings except the registration limit, a new empty database, 127.0.0.1 only), registers many installations,
 * then runs concurrent clients over keep-alive connections, each uploading realistic batches (7 days; per day 20
 * hashtags seen, 3 used, 15 pairs seen together) for a warm-up and a measured phase, and prints day-snapshots stored per
 * second, request latency (p50/p99/max) and the CPU use of the server, of PostgreSQL and of itself. Bounded in time and
 * in requests; it stops the server and removes the database when done.
 *
 * PostgreSQL is a throwaway server of its own (server/throwaway-postgres.ts, with PostgreSQL's default durability:
 * fsync at every commit), or the one `--postgres <url>` names, on which it creates and then drops a database.
 *
 * Each installation's batches cover new dates (a first sync of its history), so every day is an insert and the database
 * grows as it would while clients catch up: the write-heavy case.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type UploadBatch, uploadSchemaVersion } from '../src/shared/contracts/upload';
import { surfaces } from '../src/shared/domain/routes';
import type { DayRecord } from '../src/shared/storage/records';
import { type StoreKind, storeKindOf } from './config';
import { startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '32' },
    installations: { type: 'string', default: '256' },
    'max-requests': { type: 'string', default: '200000' },
    store: { type: 'string', default: 'both' },
    postgres: { type: 'string' },
  },
});
if (!['both', 'sqlite', 'postgres'].includes(values.store)) throw new Error('--store is sqlite, postgres or both');
const measuredSeconds = Number(values.seconds);
const warmupSeconds = Number(values.warmup);
const concurrency = Number(values.concurrency);
const installationCount = Number(values.installations);
const maxRequests = Number(values['max-requests']);
const daysPerBatch = 7;
// Whatever happens, a run ends: the server is killed and the process exits after this long.
const hardLimitMs = (warmupSeconds + measuredSeconds + 60) * 1000;

// ---- realistic content -------------------------------------------------------------------------------------------

/** A deterministic pseudo-random sequence, so every run uploads the same content. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}
const next = random(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

const words = ['food', 'travel', 'sourdough', 'café', 'sunset', 'berlin', 'hiking', 'vegan', 'coffee', 'design'];
const suffixes = ['', 'life', 'lover', 'gram', 'daily', '2026', 'photography', 'goals', 'time', 'vibes'];
const tags = words.flatMap((word) => suffixes.map((suffix) => `${word}${suffix}`));

/** A day of use without its date: 20 hashtags seen, 3 used, 15 pairs seen together, time over a few hours. */
function dayTemplate(): Omit<DayRecord, 'date'> {
  const activeMs = Math.round(600_000 + next() * 3_000_000);
  const surfaceMs = Object.fromEntries(surfaces.map((surface) => [surface, 0])) as DayRecord['surfaces'];
  surfaceMs.feed = Math.round(activeMs * 0.5);
  surfaceMs.reels = Math.round(activeMs * 0.3);
  surfaceMs.stories = activeMs - surfaceMs.feed - surfaceMs.reels;
  const hours = Array.from({ length: 24 }, () => 0);
  hours[8] = Math.round(activeMs * 0.2);
  hours[20] = Math.round(activeMs * 0.5);
  hours[22] = activeMs - (hours[8] ?? 0) - (hours[20] ?? 0);
  const seen: Record<string, number> = {};
  while (Object.keys(seen).length < 20) seen[pick(tags)] = 1 + Math.floor(next() * 6);
  const used: Record<string, number> = {};
  while (Object.keys(used).length < 3) used[pick(tags)] = 1;
  const seenTags = Object.keys(seen);
  const pairs: Record<string, number> = {};
  while (Object.keys(pairs).length < 15) {
    const pair = [pick(seenTags), pick(seenTags)].sort();
    if (pair[0] !== pair[1]) pairs[pair.join(' ')] = 1 + Math.floor(next() * 3);
  }
  return {
    timeZone: 'Europe/Berlin',
    activeMs,
    surfaces: surfaceMs,
    sessions: 1 + Math.floor(next() * 5),
    hours,
    views: { posts: Math.floor(next() * 200), reels: Math.floor(next() * 80), stories: Math.floor(next() * 40) },
    hashtags: { seen, used },
    hashtagPageMs: { [pick(tags)]: Math.round(next() * 60_000) },
    hashtagPairs: pairs,
    passiveSurfaces: {},
  };
}
const templates = Array.from({ length: 64 }, dayTemplate);

function dateAfter(start: number, days: number): string {
  return new Date(start + days * 86_400_000).toISOString().slice(0, 10);
}
const firstDay = Date.UTC(2020, 0, 1);

interface Client {
  token: string;
  batches: number;
}

const environment: UploadBatch['environment'] = {
  browser: 'chrome',
  browserVersion: '142.0.7444.59',
  os: 'windows',
  deviceType: 'desktop',
  timeZone: 'Europe/Berlin',
  country: 'DE',
};
/** The templates serialised once: the load generator shares the two cores with the server, so it must stay cheap. */
const templateJson = templates.map((template) => JSON.stringify(template).slice(1));

/** The next batch of the client's history as its JSON body, assembled from the serialised templates. */
function batchFor(client: Client): { batchId: string; body: string } {
  const offset = client.batches * daysPerBatch;
  client.batches += 1;
  const batchId = randomBytes(12).toString('base64url');
  const days = Array.from(
    { length: daysPerBatch },
    (_, index) =>
      `{"date":"${dateAfter(firstDay, offset + index)}","revision":1,${templateJson[(offset + index) % templateJson.length]}`,
  );
  const header = {
    schemaVersion: uploadSchemaVersion,
    batchId,
    policyVersion: 1,
    scopes: { usage: true, account: false, uploadUsage: true, uploadAccount: false },
    environment,
  } satisfies Omit<UploadBatch, 'days'>;
  return { batchId, body: `${JSON.stringify(header).slice(0, -1)},"days":[${days.join(',')}]}` };
}

// ---- HTTP ------------------------------------------------------------------------------------------------------

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function send(
  base: URL,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(new URL(path, base), { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

// ---- the server process ----------------------------------------------------------------------------------------

const root = fileURLToPath(new URL('..', import.meta.url));

function startServer(database: string): Promise<{ child: ChildProcess; base: URL }> {
  // Every installation registers from loopback: the registration limit (20 an hour per address) would stop the run.
  const args = ['--port', '0', '--database', database, '--registration-limit-ip', '1000000'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve({ child, base: new URL(match[1]) });
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
}

/** User plus system CPU seconds the process has used, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
    return (Number(fields?.[11]) + Number(fields?.[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds of every PostgreSQL process on the machine (the throwaway server's backends come and go). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    total += cpuSeconds(Number(entry)) ?? 0;
  }
  return total;
}

function percentile(sorted: Float64Array, fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

interface Figures {
  daysPerSecond: number;
  p50: number;
  p99: number;
}

/** One run against the server on `database`; prints its figures and answers the headline ones. */
async function run(kind: StoreKind, database: string, databaseSize: () => Promise<string>): Promise<Figures> {
  const loadAtStart = loadavg()[0]?.toFixed(2);
  const { child, base } = await startServer(database);
  const hardLimit = setTimeout(() => {
    process.stderr.write('bench: hard time limit reached, stopping\n');
    child.kill('SIGKILL');
    void cleanUp().finally(() => process.exit(1));
  }, hardLimitMs);
  try {
    const clients: Client[] = [];
    for (let index = 0; index < installationCount; index += 1) {
      const created = await send(base, 'POST', '/v1/installations', {});
      clients.push({ token: (JSON.parse(created.body) as { token: string }).token, batches: 0 });
    }

    const latencies = new Float64Array(maxRequests);
    let measured = 0;
    let measuredDays = 0;
    let requests = 0;
    const failures = new Map<number, number>();
    let nextClient = 0;
    const started = performance.now();
    const measureFrom = started + warmupSeconds * 1000;
    const stopAt = measureFrom + measuredSeconds * 1000;
    let cpuAtMeasureStart: number | undefined;
    let postgresCpuAtMeasureStart = 0;
    let ownCpuAtMeasureStart: NodeJS.CpuUsage | undefined;
    let measureStartedAt = measureFrom;

    const worker = async () => {
      while (performance.now() < stopAt && requests < maxRequests) {
        requests += 1;
        const client = clients[nextClient % clients.length] as Client;
        nextClient += 1;
        const { batchId, body } = batchFor(client);
        const sentAt = performance.now();
        const response = await send(
          base,
          'POST',
          '/v1/uploads',
          {
            authorization: `Bearer ${client.token}`,
            'idempotency-key': batchId,
            'content-type': 'application/json',
          },
          body,
        );
        const doneAt = performance.now();
        if (sentAt < measureFrom) continue;
        if (cpuAtMeasureStart === undefined) {
          cpuAtMeasureStart = cpuSeconds(child.pid);
          if (kind === 'postgres') postgresCpuAtMeasureStart = postgresCpuSeconds();
          ownCpuAtMeasureStart = process.cpuUsage();
          measureStartedAt = sentAt;
        }
        if (response.status === 200) {
          measuredDays += (JSON.parse(response.body) as { accepted: number }).accepted;
          latencies[measured] = doneAt - sentAt;
          measured += 1;
        } else {
          failures.set(response.status, (failures.get(response.status) ?? 0) + 1);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const elapsedSeconds = (performance.now() - measureStartedAt) / 1000;
    const cpuAtEnd = cpuSeconds(child.pid);
    const postgresCpu = kind === 'postgres' ? postgresCpuSeconds() - postgresCpuAtMeasureStart : 0;
    const ownCpu = process.cpuUsage(ownCpuAtMeasureStart);

    // Spot check: what one installation uploaded is what the server holds.
    const sample = clients[0] as Client;
    const data = await send(base, 'GET', '/v1/installations/me/data', { authorization: `Bearer ${sample.token}` });
    const storedDays = (JSON.parse(data.body) as { days: unknown[] }).days.length;
    if (storedDays !== sample.batches * daysPerBatch) {
      throw new Error(`installation 0 holds ${storedDays} days, expected ${sample.batches * daysPerBatch}`);
    }

    const sorted = latencies.slice(0, measured).sort();
    const share = (seconds: number) => `${Math.round((seconds / elapsedSeconds) * 100)}% of one core`;
    const serverCpu =
      cpuAtMeasureStart !== undefined && cpuAtEnd !== undefined ? share(cpuAtEnd - cpuAtMeasureStart) : 'n/a';
    const figures: Figures = {
      daysPerSecond: measuredDays / elapsedSeconds,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
    };
    const lines = [
      `${kind}: ${concurrency} concurrent clients, ${installationCount} installations, ` +
        `${daysPerBatch} days per batch, ${warmupSeconds} s warm-up + ${measuredSeconds} s measured, loopback`,
      // Other work on the machine's two cores moves every figure: the load average says how much there was.
      `  load average:   ${loadAtStart} at the start, ${loadavg()[0]?.toFixed(2)} at the end (1 min)`,
      `  uploads:        ${measured} accepted in ${elapsedSeconds.toFixed(1)} s = ${(measured / elapsedSeconds).toFixed(0)} requests/s`,
      `  day-snapshots:  ${measuredDays} = ${figures.daysPerSecond.toFixed(0)} per second`,
      `  latency:        p50 ${figures.p50.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, ` +
        `max ${percentile(sorted, 1).toFixed(1)} ms`,
      `  failed:         ${failures.size === 0 ? 'none' : JSON.stringify(Object.fromEntries(failures))}`,
      `  server CPU:     ${serverCpu}`,
      ...(kind === 'postgres' ? [`  PostgreSQL CPU: ${share(postgresCpu)}`] : []),
      `  load generator: ${share((ownCpu.user + ownCpu.system) / 1e6)}`,
      `  request body:   ${batchFor({ token: '', batches: 0 }).body.length} bytes`,
      `  database:       ${await databaseSize()} after ${sample.batches * daysPerBatch} days per installation`,
    ];
    process.stdout.write(`${lines.join('\n')}\n\n`);
    return figures;
  } finally {
    clearTimeout(hardLimit);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;

/** What a run leaves until it ends — its SQLite directory, its own PostgreSQL server — removed by `cleanUp`. */
let sqliteDirectory: string | undefined;
let throwaway: ThrowawayPostgres | undefined;
/** At the end of a run, or when the hard limit strikes. */
async function cleanUp(): Promise<void> {
  if (sqliteDirectory) rmSync(sqliteDirectory, { recursive: true, force: true });
  sqliteDirectory = undefined;
  const stopping = throwaway;
  throwaway = undefined;
  await stopping?.stop();
}

async function benchSqlite(): Promise<Figures> {
  sqliteDirectory = mkdtempSync(join(tmpdir(), 'smarttags-bench-'));
  const databasePath = join(sqliteDirectory, 'bench.sqlite');
  try {
    return await run('sqlite', databasePath, async () => `${megabytes(statSync(databasePath).size)} (+ WAL)`);
  } finally {
    await cleanUp();
  }
}

async function benchPostgres(): Promise<Figures> {
  let adminUrl = values.postgres;
  if (adminUrl === undefined) {
    throwaway = await startThrowawayPostgres({ durable: true });
    adminUrl = throwaway.url();
  } else if (storeKindOf(adminUrl) !== 'postgres') {
    throw new Error('--postgres takes a postgres:// URL');
  }
  const name = `smarttags_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await run('postgres', url.toString(), async () => {
      const size = await admin.query<{ bytes: string }>('SELECT pg_database_size($1) AS bytes', [name]);
      return megabytes(Number(size.rows[0]?.bytes));
    });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end().catch(() => {});
    await cleanUp();
  }
}

async function main(): Promise<void> {
  const results: [StoreKind, Figures][] = [];
  if (values.store !== 'postgres') results.push(['sqlite', await benchSqlite()]);
  if (values.store !== 'sqlite') results.push(['postgres', await benchPostgres()]);
  agent.destroy();
  process.stdout.write('summary (day-snapshots/s, p50, p99):\n');
  for (const [kind, figures] of results) {
    process.stdout.write(
      `  ${kind.padEnd(9)} ${figures.daysPerSecond.toFixed(0).padStart(6)}/s  ` +
        `p50 ${figures.p50.toFixed(1)} ms  p99 ${figures.p99.toFixed(1)} ms\n`,
    );
  }
}

await main();
