import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openStore, type StoreOptions } from '../open-store.js';
import type { Store, StoreBackend } from '../store.js';
import { type PostgresServer, postgresUnavailableReason, startPostgresServer } from './postgres-server.js';

/** One back end the shared suite runs against. */
export interface TestBackend {
  name: StoreBackend;
  /** Opens a store on a fresh, migrated, empty database. */
  open: () => Promise<Store>;
  /** Options for `openStore` that point at a new empty database (not yet migrated) or directory. */
  freshOptions: () => Promise<StoreOptions>;
  /** Options for `openStore` that point at a new database, migrated already where that saves time. */
  preparedOptions: () => Promise<StoreOptions>;
}

const migrationsDirectory = join(import.meta.dirname, '..', 'migrations');

/** A key that changes whenever a migration's source does, so a stale template is never reused. */
function schemaFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsDirectory).sort())
    hash.update(file).update(readFileSync(join(migrationsDirectory, file)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * A migrated embedded store directory shared by every test file of a run: creating a PGlite database takes seconds,
 * copying one takes milliseconds. Built in a temp folder and renamed into place, so parallel workers never see half
 * of one.
 */
async function embeddedTemplate(): Promise<string> {
  const template = join(tmpdir(), `bifrost-store-template-${schemaFingerprint()}`);
  if (existsSync(template)) return template;
  const building = mkdtempSync(join(tmpdir(), 'bifrost-store-template-building-'));
  const store = await openStore({ type: 'embedded', directory: building });
  await store.close();
  try {
    renameSync(building, template);
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}

/**
 * The back ends for `describe.each`, with cleanup registered for the calling test file. The real Postgres is left
 * out, with the reason printed, when its binaries are missing on a developer's machine; under CI its tests fail
 * with that reason instead, so a missing install never passes silently.
 */
export function useStoreBackends(): TestBackend[] {
  const directories: string[] = [];
  const stores: Store[] = [];
  let server: Promise<PostgresServer> | undefined;
  let databases = 0;
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close().catch(() => {})));
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
    await (await server?.catch(() => undefined))?.stop();
  });
  const track = async (opening: Promise<Store>) => {
    const store = await opening;
    stores.push(store);
    return store;
  };

  const freshDirectory = () => {
    const directory = mkdtempSync(join(tmpdir(), 'bifrost-store-test-'));
    directories.push(directory);
    return directory;
  };
  const embedded: TestBackend = {
    name: 'embedded',
    freshOptions: async () => ({ type: 'embedded', directory: freshDirectory() }),
    preparedOptions: async () => {
      const directory = freshDirectory();
      cpSync(await embeddedTemplate(), directory, { recursive: true });
      return { type: 'embedded', directory };
    },
    open: async () => track(openStore(await embedded.preparedOptions())),
  };

  const reason = postgresUnavailableReason();
  const freshDatabase = async () => {
    if (reason !== undefined)
      throw new Error(`the real-Postgres half of the store suite cannot run: ${reason}`);
    server ??= startPostgresServer();
    databases += 1;
    return (await server).createDatabase(`store_test_${databases}`);
  };
  const postgres: TestBackend = {
    name: 'postgres',
    freshOptions: async () => ({ type: 'postgres', connectionString: await freshDatabase() }),
    preparedOptions: async () => ({ type: 'postgres', connectionString: await freshDatabase() }),
    open: async () => track(openStore({ type: 'postgres', connectionString: await freshDatabase() })),
  };

  if (reason !== undefined && process.env.CI !== 'true') {
    console.warn(`Skipping the store suite's real-Postgres half: ${reason}`);
    return [embedded];
  }
  return [embedded, postgres];
}
