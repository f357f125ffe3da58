/**
 * Shared by the server tests: an app on its own new database (a temporary SQLite file by default, or a PostgreSQL
 * database; removed afterwards), listening on a loopback port when a test needs real sockets, and builders for valid
 * uploads that a test then breaks or varies.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { InjectOptions } from 'fastify';
import { type App, type AppOptions, buildApp } from '../../server/app';
import type { StoreKind } from '../../server/config';
import {
  type InstallationCreated,
  installationCreated,
  type UploadBatch,
  type UploadDay,
} from '../../src/shared/contracts/upload';
import { makeDay } from '../unit/helpers/records';
import { newDatabase } from './databases';

export interface TestServer {
  app: App;
  kind: StoreKind;
  /** The SQLite file's path, or the PostgreSQL database's URL. */
  database: string;
  /** The same as `database` (the name from when the server had only SQLite files). */
  databasePath: string;
  /** Closes the app and removes its database. */
  close(): Promise<void>;
}

/** An app on a new database of the given kind (SQLite by default), removed by `close`. */
export async function startServer(
  options: Omit<AppOptions, 'database'> = {},
  kind: StoreKind = 'sqlite',
): Promise<TestServer> {
  const created = await newDatabase(kind);
  let app: App;
  try {
    app = await buildApp({ ...options, database: created.database });
  } catch (error) {
    await created.drop();
    throw error;
  }
  return {
    app,
    kind,
    database: created.database,
    databasePath: created.database,
    close: async () => {
      await app.close();
      await created.drop();
    },
  };
}

/** Listens on a free loopback port; answers the base URL (`http://127.0.0.1:<port>`). */
export async function listen(server: TestServer): Promise<string> {
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
}

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code, or the signal that ended the process. */
  exited: Promise<number | NodeJS.Signals | null>;
}

/**
 * The real server (server/main.ts) as its own process, as an operator runs it: node itself rather than npx, so a
 * signal reaches the server and not a wrapper. Resolves once it listens. Starting tsx takes a second or two.
 */
export async function spawnServer(args: string[], { built = false } = {}): Promise<ServerProcess> {
  // `built`: the JavaScript build (npm run build:server) run by Node alone, as a deployment runs it.
  const entry = built ? ['dist/server/main.mjs'] : ['--import', 'tsx', 'server/main.ts'];
  const child = spawn(process.execPath, [...entry, '--port', '0', ...args], {
    cwd: new URL('../..', import.meta.url),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += String(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line in: ${output}`)), 20_000);
    const look = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout.off('data', look);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${String(code)}): ${output}`));
    });
  });
  return { child, url, output: () => output, exited };
}

export async function createInstallation(app: App): Promise<InstallationCreated> {
  const response = await app.inject({ method: 'POST', url: '/v1/installations' });
  if (response.statusCode !== 201) throw new Error(`creating an installation answered ${response.statusCode}`);
  return installationCreated.parse(response.json());
}

let batchCounter = 0;

/** A valid version-1 batch: usage scopes granted, the days given (one by default), a fresh batch id. */
export function makeBatch(days: UploadDay[] = [makeDay('2026-11-24')], overrides: Partial<UploadBatch> = {}) {
  batchCounter += 1;
  return {
    schemaVersion: 1,
    batchId: `batch-${String(batchCounter).padStart(6, '0')}`,
    policyVersion: 1,
    scopes: { usage: true, account: false, uploadUsage: true, uploadAccount: false },
    environment: {
      browser: 'firefox',
      browserVersion: '145.0',
      os: 'linux',
      deviceType: 'desktop',
      timeZone: 'Europe/Berlin',
      country: 'DE',
    },
    days,
    ...overrides,
  } satisfies UploadBatch;
}

/** A valid version-2 batch: each day carries the revision given with it. */
export function makeBatchV2(days: [UploadDay, number][], overrides: Partial<UploadBatch> = {}) {
  return makeBatch(
    days.map(([day, revision]) => ({ ...day, revision })),
    { schemaVersion: 2, ...overrides },
  );
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** POST /v1/uploads with the batch's id as the Idempotency-Key unless the headers say otherwise. */
export function upload(
  app: App,
  token: string,
  body: unknown,
  headers: Record<string, string> = {},
  options: Partial<InjectOptions> = {},
) {
  const key =
    typeof body === 'object' && body !== null && 'batchId' in body && typeof body.batchId === 'string'
      ? { 'idempotency-key': body.batchId }
      : {};
  return app.inject({
    method: 'POST',
    url: '/v1/uploads',
    headers: { 'content-type': 'application/json', ...key, ...bearer(token), ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    ...options,
  });
}

export function readData(app: App, token: string) {
  return app.inject({ method: 'GET', url: '/v1/installations/me/data', headers: bearer(token) });
}

/** `count` new installations that each upload the given dates, half an hour a day seeing #sourdough; their tokens. */
export async function installationsUploadingDays(
  at: TestServer,
  count: number,
  dates: readonly string[],
): Promise<string[]> {
  const tokens: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const { token } = await createInstallation(at.app);
    const batch = makeBatch(
      dates.map((date) => makeDay(date, 1_800_000, { hashtags: { seen: { sourdough: 2 }, used: {} } })),
    );
    const answer = await upload(at.app, token, batch);
    if (answer.statusCode !== 200) throw new Error(`upload refused: ${answer.statusCode} ${answer.body}`);
    tokens.push(token);
  }
  return tokens;
}

export { makeDay };
