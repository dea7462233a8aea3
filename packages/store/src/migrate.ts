import { type Kysely, type MigrationResultSet, Migrator, sql } from 'kysely';
import type { Database } from './database.js';
import { migrations } from './migrations/index.js';
import { StoreError, StoreUnavailableError } from './store-error.js';

/**
 * The advisory-lock key that serialises migrations across processes ('bfst' in ASCII). Kysely's migrator locks too,
 * but only after creating its bookkeeping tables; this lock covers that step as well.
 */
const migrationLockKey = 0x62667374;

/** The table that records which migrations ran. */
export const migrationTableName = 'bifrost_migrations';

/** The names of the migrations that have run, oldest first. */
export type AppliedMigrations = string[];

/**
 * Runs every pending migration under a session-level Postgres advisory lock, on one connection, so two gateway
 * processes opening the same database at once apply each migration exactly once. Returns the names applied now.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<AppliedMigrations> {
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${migrationLockKey})`.execute(connection);
    let resultSet: MigrationResultSet;
    try {
      const migrator = new Migrator({
        db: connection,
        provider: { getMigrations: async () => ({ ...migrations }) },
        migrationTableName,
        migrationLockTableName: `${migrationTableName}_lock`,
      });
      resultSet = await migrator.migrateToLatest();
    } finally {
      await sql`select pg_advisory_unlock(${migrationLockKey})`.execute(connection);
    }
    if (resultSet.error !== undefined) {
      if (resultSet.error instanceof StoreUnavailableError) throw resultSet.error;
      const failed = resultSet.results?.find((result) => result.status === 'Error')?.migrationName;
      throw new StoreError('migration_failed', `migration ${failed ?? '(setup)'} failed`, {
        cause: resultSet.error,
      });
    }
    return (resultSet.results ?? []).map((result) => result.migrationName);
  });
}
