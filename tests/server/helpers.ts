/**
 * Shared by the server tests: an app on its own temporary database file (removed afterwards), and builders for valid
 * uploads that a test then breaks or varies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { type App, type AppOptions, buildApp } from '../../server/app';
import type { DayRecord } from '../../src/shared/records';
import { type InstallationCreated, installationCreated, type UploadBatch } from '../../src/shared/upload';
import { makeDay } from '../unit/helpers/records';

export interface TestServer {
  app: App;
  databasePath: string;
  /** Closes the app and removes its database directory. */
  close(): Promise<void>;
}

export async function startServer(options: Omit<AppOptions, 'databasePath'> = {}): Promise<TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'smarttags-server-test-'));
  const databasePath = join(directory, 'test.sqlite');
  const app = await buildApp({ ...options, databasePath });
  return {
    app,
    databasePath,
    close: async () => {
      await app.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export async function createInstallation(app: App): Promise<InstallationCreated> {
  const response = await app.inject({ method: 'POST', url: '/v1/installations' });
  if (response.statusCode !== 201) throw new Error(`creating an installation answered ${response.statusCode}`);
  return installationCreated.parse(response.json());
}

let batchCounter = 0;

/** A valid batch: usage scopes granted, the days given (one by default), a fresh batch id. */
export function makeBatch(days: DayRecord[] = [makeDay('2026-11-24')], overrides: Partial<UploadBatch> = {}) {
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

export { makeDay };
