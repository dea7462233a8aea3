import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from './open-store.js';
import type { Store } from './store.js';
import { StoreUnavailableError } from './store-error.js';
import {
  type PostgresServer,
  postgresUnavailableReason,
  startPostgresServer,
} from './testing/postgres-server.js';

const reason = postgresUnavailableReason();
if (reason !== undefined && process.env.CI !== 'true')
  console.warn(`Skipping the store outage test: ${reason}`);

describe.skipIf(reason !== undefined && process.env.CI !== 'true')('postgres store during an outage', () => {
  let server: PostgresServer;
  let store: Store;
  beforeAll(async () => {
    if (reason !== undefined) throw new Error(`the store outage test needs a real Postgres: ${reason}`);
    server = await startPostgresServer();
    store = await openStore({
      type: 'postgres',
      connectionString: server.connectionString,
      connectionTimeoutMs: 1000,
    });
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('rejects with StoreUnavailableError while the server is down and recovers when it returns', async () => {
    const before = await store.virtualKeys.create({ name: 'before', value: 'sk-bf-before' });
    await server.pause();

    await expect(store.virtualKeys.get(before.id)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.applyUsageDeltas({ budgets: [{ id: 'x', amount: 1 }] })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(await store.health()).toMatchObject({ status: 'unavailable', backend: 'postgres' });

    await server.start();
    expect((await store.health()).status).toBe('available');
    expect(await store.virtualKeys.get(before.id)).toMatchObject({ name: 'before' });
  });
});
