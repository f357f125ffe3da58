/**
 * Before the server tests: a PostgreSQL server for the suites that run against both stores. SMARTTAGS_TEST_POSTGRES
 * names one to use (a postgres:// URL whose user may create databases); otherwise a throwaway one is started
 * (server/throwaway-postgres.ts) and removed afterwards. Without PostgreSQL the PostgreSQL suites are skipped and
 * tests/server/postgres.test.ts fails, saying how to get it.
 */
import type { TestProject } from 'vitest/node';
import { postgresHowTo, startThrowawayPostgres } from '../../server/throwaway-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The URL of the maintenance database of the tests' PostgreSQL server, or why there is none. */
    postgres: { url: string } | { missing: string };
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.SMARTTAGS_TEST_POSTGRES;
  if (given) {
    project.provide('postgres', { url: given });
    return undefined;
  }
  try {
    const server = await startThrowawayPostgres({ durable: false });
    project.provide('postgres', { url: server.url() });
    return () => server.stop();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    project.provide('postgres', { missing: reason.includes(postgresHowTo) ? reason : `${reason}\n${postgresHowTo}` });
    return undefined;
  }
}
