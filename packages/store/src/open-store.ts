import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type Dialect, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from './database.js';
import { lockEmbeddedDirectory } from './embedded-directory-lock.js';
import { withStoreErrors } from './error-mapping-dialect.js';
import { mapDatabaseError } from './map-database-error.js';
import { migrateToLatest } from './migrate.js';
import { PGliteDialect } from './pglite-dialect.js';
import { Store, type StoreBackend } from './store.js';

/** What every back end accepts: the injected clock and id generator. */
export interface CommonStoreOptions {
  /**
   * The time written to `created_at`, `updated_at` and resets.
   * @default () => new Date()
   */
  now?: () => Date;
  /**
   * New row ids.
   * @default UUID v7
   */
  generateId?: () => string;
}

/** Embedded Postgres (PGlite) in a directory: no server to run. One process at a time may open a directory. */
export interface EmbeddedStoreOptions extends CommonStoreOptions {
  type: 'embedded';
  /** The app directory (`-app-dir`); the database lives in its `pglite/` folder, created if missing. */
  directory: string;
}

/** A real Postgres server, for production and for several gateway instances sharing state. */
export interface PostgresStoreOptions extends CommonStoreOptions {
  type: 'postgres';
  /** `postgres://user:password@host:port/database`. */
  connectionString: string;
  /**
   * Connections in the pool.
   * @default 10
   */
  maxConnections?: number;
  /**
   * How long to wait for a connection before the operation rejects as unavailable.
   * @default 5000
   */
  connectionTimeoutMs?: number;
}

/** Where the store keeps its data. */
export type StoreOptions = EmbeddedStoreOptions | PostgresStoreOptions;

/** A back end's dialect and how to shut it down once Kysely lets go. */
interface Backend {
  dialect: Dialect;
  close: () => Promise<void>;
}

/** `bigint` columns (token counters) come back from `pg` as strings; they fit a JS number, so parse them as one. */
const int8Oid = 20;

function postgresDialect(options: PostgresStoreOptions): Backend {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === int8Oid ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection dropped by the server emits 'error' on the pool; unhandled, it would crash the process.
  // The next operation reports the outage as StoreUnavailableError instead.
  pool.on('error', () => {});
  // Kysely ends the pool on destroy.
  return { dialect: new PostgresDialect({ pool }), close: async () => {} };
}

/**
 * Postgres' defaults size its buffers for a server of its own (128 MB of shared buffers); the embedded store's
 * tables are small and live in this process, so a few megabytes keep its resident memory near 120 MiB, not 300.
 */
const embeddedSettings = {
  postgresqlconf: 'shared_buffers = 8MB\nwork_mem = 2MB\nmaintenance_work_mem = 8MB',
};

/** The empty cluster the build made (see scripts/build-pglite-template.mjs), or undefined to run initdb instead. */
async function readClusterTemplate(): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(new URL('./pglite-template.tar.gz', import.meta.url))]);
  } catch {
    // Running from source (tests), or a build without it: initdb is slower but makes the same cluster.
    return undefined;
  }
}

async function embeddedDialect(options: EmbeddedStoreOptions): Promise<Backend> {
  const directory = resolve(options.directory);
  mkdirSync(directory, { recursive: true });
  const release = lockEmbeddedDirectory(directory);
  try {
    const dataDirectory = join(directory, 'pglite');
    const fresh = !existsSync(dataDirectory);
    const template = fresh ? await readClusterTemplate() : undefined;
    let database = new PGlite(dataDirectory, { ...embeddedSettings, loadDataDir: template });
    await database.waitReady;
    if (fresh) {
      // Creating or unpacking the cluster leaves its working memory (up to ~500 MiB) held for the life of the instance;
      // opening the new cluster again costs a second or two once and gives that memory back.
      await database.close();
      database = new PGlite(dataDirectory, embeddedSettings);
      await database.waitReady;
    }
    return {
      dialect: new PGliteDialect(database),
      close: async () => {
        try {
          await database.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw mapDatabaseError(error);
  }
}

async function openOver(type: StoreBackend, backend: Backend, options: CommonStoreOptions): Promise<Store> {
  const db = new Kysely<Database>({ dialect: withStoreErrors(backend.dialect) });
  try {
    const appliedMigrations = await migrateToLatest(db);
    return new Store({
      backend: type,
      db,
      now: options.now ?? (() => new Date()),
      generateId: options.generateId ?? (() => uuidv7()),
      appliedMigrations,
      closeBackend: backend.close,
    });
  } catch (error) {
    await db.destroy().catch(() => {});
    await backend.close().catch(() => {});
    throw mapDatabaseError(error);
  }
}

/**
 * Opens the store and brings its schema up to date before returning. A database that cannot be reached rejects with
 * `StoreUnavailableError`; a failed migration with a `StoreError` coded `migration_failed`.
 *
 * @example
 * const store = await openStore({ type: 'embedded', directory: './bifrost-data' });
 * const key = await store.virtualKeys.create({ name: 'ci', value: 'sk-bf-…' });
 * await store.close();
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const backend = options.type === 'embedded' ? await embeddedDialect(options) : postgresDialect(options);
  return openOver(options.type, backend, options);
}

/**
 * Opens an embedded store over a PGlite database the caller made (in memory, or loaded from a dump), closing it with
 * the store. Tests use it to skip creating a database directory per suite.
 */
export function openStoreOverPGlite(database: PGlite, options: CommonStoreOptions = {}): Promise<Store> {
  return openOver(
    'embedded',
    { dialect: new PGliteDialect(database), close: () => database.close() },
    options,
  );
}
