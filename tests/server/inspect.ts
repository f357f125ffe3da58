/**
 * Reads a reference server's database file directly: what it holds, whoever it belongs to. The proof, for sync tests,
 * that a deletion, a backend change or a wipe left nothing behind — independent of any token the test still knows.
 */
import Database from 'better-sqlite3';
import type { StoreKind } from '../../server/config';
import { queryPostgres } from './databases';

export interface RowsHeld {
  days: number;
  accountSnapshots: number;
  batches: number;
}

export const nothingHeld: RowsHeld = { days: 0, accountSnapshots: 0, batches: 0 };

export function rowsHeld(databasePath: string): RowsHeld {
  const database = new Database(databasePath, { readonly: true });
  try {
    const count = (table: string) => (database.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { days: count('days'), accountSnapshots: count('account_snapshots'), batches: count('batches') };
  } finally {
    database.close();
  }
}

/** Every row of a table, whichever the store; PostgreSQL gives `json` columns parsed, SQLite as text. */
export async function rowsOf(
  server: { kind: StoreKind; database: string },
  table: string,
): Promise<Record<string, unknown>[]> {
  if (server.kind === 'postgres') return queryPostgres(server.database, `SELECT * FROM ${table}`);
  const database = new Database(server.database, { readonly: true });
  try {
    return database.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
  } finally {
    database.close();
  }
}
