import { describe, expect, it } from 'vitest';
import { openStore } from './open-store.js';
import { StoreConflictError, StoreUnavailableError } from './store-error.js';
import { useStoreBackends } from './testing/store-test-backends.js';

const backends = useStoreBackends();

describe.each(backends)('store on $name', (backend) => {
  it('applies every migration on a fresh database and none on re-open, keeping the data', async () => {
    const options = await backend.freshOptions();
    const first = await openStore(options);
    expect(first.appliedMigrations).toEqual([
      '0001-config',
      '0002-request-logs',
      '0003-settings',
      '0004-provider-governance-rows',
    ]);
    const key = await first.virtualKeys.create({ name: 'kept', value: 'sk-bf-kept' });
    await first.applyUsageDeltas({ budgets: [] });
    await first.close();

    const second = await openStore(options);
    try {
      expect(second.appliedMigrations).toEqual([]);
      if (backend.name === 'embedded') {
        // PGlite has no locking of its own: a second opener of the directory is refused while this one is open.
        await expect(openStore(options)).rejects.toBeInstanceOf(StoreUnavailableError);
      }
      expect(await second.virtualKeys.get(key.id)).toMatchObject({ name: 'kept', value: 'sk-bf-kept' });
    } finally {
      await second.close();
    }
  });

  it('reports health, and unavailable once closed', async () => {
    const store = await backend.open();
    const health = await store.health();
    expect(health).toMatchObject({ backend: backend.name, status: 'available' });
    await store.close();
    const closed = await store.health();
    expect(closed.status).toBe('unavailable');
    expect(closed.error).toBeInstanceOf(StoreUnavailableError);
  });

  it('adds concurrent usage flushes without losing an increment', async () => {
    const store = await backend.open();
    const budget = await store.budgets.create({ max_limit: 100, reset_duration: '1h' });
    const other = await store.budgets.create({ max_limit: 100, reset_duration: '1d' });
    const limit = await store.rateLimits.create({ token_max_limit: 1000, token_reset_duration: '1m' });
    const flushes = Array.from({ length: 40 }, (_, index) =>
      store.applyUsageDeltas({
        // Alternating order across flushes: rows are locked in id order, so this cannot deadlock.
        budgets:
          index % 2 === 0
            ? [
                { id: budget.id, amount: 0.25 },
                { id: other.id, amount: 1 },
              ]
            : [
                { id: other.id, amount: 1 },
                { id: budget.id, amount: 0.25 },
              ],
        rateLimits: [
          { id: limit.id, tokens: 10, requests: 1 },
          { id: limit.id, tokens: 5 },
        ],
      }),
    );
    const results = await Promise.all(flushes);
    expect(results[0]).toEqual({ budgets: 2, rateLimits: 1 });
    expect((await store.budgets.get(budget.id))?.current_usage).toBe(10);
    expect((await store.budgets.get(other.id))?.current_usage).toBe(40);
    expect(await store.rateLimits.get(limit.id)).toMatchObject({
      token_current_usage: 600,
      request_current_usage: 40,
    });
  });

  it('applies a usage batch all or nothing and skips ids that are gone', async () => {
    const store = await backend.open();
    const budget = await store.budgets.create({ max_limit: 5, reset_duration: '1h' });
    expect(
      await store.applyUsageDeltas({
        budgets: [
          { id: budget.id, amount: 2 },
          { id: 'missing', amount: 1 },
        ],
      }),
    ).toEqual({ budgets: 1, rateLimits: 0 });
    const other = await store.budgets.create({ max_limit: 5, reset_duration: '1d' });
    // NaN becomes a null amount, which the not-null column refuses: the valid delta beside it must not land either.
    const batch = {
      budgets: [
        { id: budget.id, amount: 1 },
        { id: other.id, amount: Number.NaN },
      ],
    };
    await expect(store.applyUsageDeltas(batch)).rejects.toThrow();
    expect((await store.budgets.get(budget.id))?.current_usage).toBe(2);
  });
});

describe.runIf(backends.some((backend) => backend.name === 'postgres'))('postgres store', () => {
  const postgres = backends.find((backend) => backend.name === 'postgres')!;

  it('migrates once when several processes open the same database at once', async () => {
    const options = await postgres.freshOptions();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(options)));
    try {
      expect(stores.flatMap((store) => store.appliedMigrations).sort()).toEqual([
        '0001-config',
        '0002-request-logs',
        '0003-settings',
        '0004-provider-governance-rows',
      ]);
      await stores[0]!.virtualKeys.create({ name: 'shared', value: 'sk-bf-shared' });
      await expect(
        stores[1]!.virtualKeys.create({ name: 'shared', value: 'sk-bf-other' }),
      ).rejects.toBeInstanceOf(StoreConflictError);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('rejects with StoreUnavailableError when the server cannot be reached', async () => {
    const opening = openStore({
      type: 'postgres',
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
      connectionTimeoutMs: 1000,
    });
    await expect(opening).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
