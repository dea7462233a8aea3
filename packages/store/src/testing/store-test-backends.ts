import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll } from 'vitest';
import { openStore, openStoreOverPGlite, type StoreOptions } from '../open-store.js';
import type { Store, StoreBackend } from '../store.js';
import { type PostgresServer, postgresUnavailableReason, startPostgresServer } from './postgres-server.js';

/** One back end the shared suite runs against. */
export interface TestBackend {
  name: StoreBackend;
  /** Opens a store on a fresh, migrated, empty database. */
  open: () => Promise<Store>;
  /** Options for `openStore` that point at a new empty database (not yet migrated) or directory. */
  freshOptions: () => Promise<StoreOptions>;
}

const migrationsDirectory = join(import.meta.dirname, '..', 'migrations');

/** A key that changes whenever a migration's source or PGlite does, so a stale template is never reused. */
function schemaFingerprint(): string {
  // A dump only loads into the PGlite version that wrote it; pnpm's real path of the module names that version.
  const pglite = realpathSync(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  const hash = createHash('sha256').update(pglite);
  for (const file of readdirSync(migrationsDirectory).sort())
    hash.update(file).update(readFileSync(join(migrationsDirectory, file)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * A dump of a migrated embedded database, shared by every test file of a run: creating a PGlite database takes
 * seconds, loading a dump into memory well under one. Written to a temp name and renamed into place, so parallel
 * workers never read half of one.
 */
async function embeddedTemplate(): Promise<Blob> {
  const template = join(tmpdir(), `bifrost-store-template-${schemaFingerprint()}.tar`);
  if (!existsSync(template)) {
    const database = new PGlite();
    await (await openStoreOverPGlite(database)).db.destroy();
    const dump = await database.dumpDataDir('none');
    await database.close();
    const building = `${template}.${process.pid}`;
    writeFileSync(building, Buffer.from(await dump.arrayBuffer()));
    renameSync(building, template);
  }
  return new Blob([readFileSync(template)]);
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
    // In memory, loaded from the migrated template; directory handling has its own tests in store.test.ts.
    open: async () => track(openStoreOverPGlite(new PGlite({ loadDataDir: await embeddedTemplate() }))),
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
    open: async () => track(openStore({ type: 'postgres', connectionString: await freshDatabase() })),
  };

  if (reason !== undefined && process.env.CI !== 'true') {
    console.warn(`Skipping the store suite's real-Postgres half: ${reason}`);
    return [embedded];
  }
  return [embedded, postgres];
}
