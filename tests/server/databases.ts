/**
 * Databases for the server tests, of either kind: a SQLite file in a temporary directory, or a new database on the
 * tests' PostgreSQL server (tests/server/global-setup.ts). `describeEachStore` runs a suite once per store, so the
 * same contract is checked against both; without PostgreSQL its PostgreSQL half is skipped, and
 * tests/server/postgres.test.ts fails saying how to get it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, inject } from 'vitest';
import type { StoreKind } from '../../server/config';

const storeKinds: readonly StoreKind[] = ['sqlite', 'postgres'];

/** The tests' PostgreSQL server's maintenance database, or undefined when there is none. */
export function postgresAdminUrl(): string | undefined {
  const postgres = inject('postgres');
  return 'url' in postgres ? postgres.url : undefined;
}

/** Runs `suite` once per store, named after it; the PostgreSQL run is skipped when there is no PostgreSQL. */
export function describeEachStore(name: string, suite: (kind: StoreKind) => void): void {
  for (const kind of storeKinds) {
    describe.skipIf(kind === 'postgres' && postgresAdminUrl() === undefined)(`${name} [${kind}]`, () => suite(kind));
  }
}

export interface TestDatabase {
  kind: StoreKind;
  /** What `buildApp` and `openStore` take: the file's path or the database's URL. */
  database: string;
  /** Removes the file, or drops the database (closing whatever is still connected to it). */
  drop(): Promise<void>;
}

/** Runs one statement on the maintenance database (CREATE and DROP DATABASE cannot run inside a database). */
async function administer(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The URL of another database on the same server as `url`. */
function databaseUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function newDatabase(kind: StoreKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const directory = mkdtempSync(join(tmpdir(), 'smarttags-server-test-'));
    return {
      kind,
      database: join(directory, 'test.sqlite'),
      drop: async () => rmSync(directory, { recursive: true, force: true }),
    };
  }
  const adminUrl = postgresAdminUrl();
  if (adminUrl === undefined) throw new Error('no PostgreSQL server for the tests (see tests/server/postgres.test.ts)');
  const name = `smarttags_test_${randomBytes(6).toString('hex')}`;
  await administer(adminUrl, `CREATE DATABASE ${name}`);
  return {
    kind,
    database: databaseUrl(adminUrl, name),
    drop: () => administer(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Runs `query` on the test database (PostgreSQL only), for tests that look at what the store wrote. */
export async function queryPostgres<Row extends pg.QueryResultRow>(
  url: string,
  query: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(query, values)).rows;
  } finally {
    await client.end();
  }
}
