/**
 * Versioned schema migrations, the same way for both stores, run by umzug.
 *
 * Umzug serves both databases because it leaves the record of what ran to a storage we give it: SQLite keeps that
 * record in `PRAGMA user_version` (the files written before umzug came in already carry it, so they keep working), and
 * PostgreSQL in a `schema_migrations` table. Umzug orders the migrations, works out which are pending and records each
 * one it runs. What it does not do, the stores do around this function: the whole upgrade runs inside one transaction
 * that holds the database's write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock), so two servers starting
 * at once never both migrate and a failed step leaves the database as it was; and a database that records migrations
 * this code does not know — written by a newer server — is refused before anything runs.
 */
import { Umzug } from 'umzug';

export interface Migration<Context extends object> {
  /** Recorded in the database once applied: never rename a released migration. */
  name: string;
  up(context: Context): Promise<void> | void;
}

/** The database was written by a newer server: this one would misread it, so it refuses to start on it. */
export class DatabaseTooNewError extends Error {}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

/** How a store reads and writes its record of the migrations applied, inside the transaction the store holds. */
export interface MigrationRecord {
  applied(): Promise<string[]>;
  add(name: string): Promise<void>;
}

/** What is applied and what is pending; throws DatabaseTooNewError when the database knows migrations this code does not. */
export function statusOf<Context extends object>(
  database: string,
  migrations: readonly Migration<Context>[],
  applied: readonly string[],
): MigrationStatus {
  const known = new Set(migrations.map((migration) => migration.name));
  const unknown = applied.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new DatabaseTooNewError(
      `${database} has schema migrations this server does not know (${unknown.join(', ')}); it knows up to ` +
        `${migrations.at(-1)?.name ?? 'none'}: the database was written by a newer server. Run that version, or ` +
        'restore a backup taken before the upgrade.',
    );
  }
  const done = new Set(applied);
  return {
    applied: [...applied],
    pending: migrations.filter((migration) => !done.has(migration.name)).map((migration) => migration.name),
  };
}

/**
 * Applies the pending migrations in order and answers their names. The caller holds the transaction and the lock:
 * `record` reads and writes within it.
 */
export async function applyMigrations<Context extends object>(
  database: string,
  migrations: readonly Migration<Context>[],
  context: Context,
  record: MigrationRecord,
): Promise<string[]> {
  const applied = await record.applied();
  statusOf(database, migrations, applied);
  const umzug = new Umzug<Context>({
    migrations: migrations.map((migration) => ({
      name: migration.name,
      up: async () => {
        await migration.up(context);
      },
    })),
    context,
    storage: {
      executed: async () => applied,
      logMigration: async ({ name }) => {
        await record.add(name);
      },
      unlogMigration: async () => {
        // Going back is restoring a backup: a released schema is never undone in place.
        throw new Error('schema migrations are not reverted; restore a backup instead');
      },
    },
    logger: undefined,
  });
  const ran = await umzug.up();
  return ran.map((migration) => migration.name);
}
