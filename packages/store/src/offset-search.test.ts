import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { useStoreBackends } from './testing/store-test-backends.js';

describe.each(useStoreBackends())('offset search and transactions on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
    const customer = await store.customers.create({ name: 'acme' });
    const team = await store.teams.create({ name: 'platform', customer_id: customer.id });
    for (const name of ['alpha', 'beta', 'Alphabet', '50%_off'])
      await store.virtualKeys.create({
        name,
        value: `sk-bf-${name}`,
        team_id: name === 'beta' ? team.id : null,
      });
  });

  it('pages by offset with the total that match, searching names case-insensitively', async () => {
    const all = await store.virtualKeys.search();
    expect(all.total).toBe(4);
    expect(all.items.map((key) => key.name)).toEqual(['alpha', 'beta', 'Alphabet', '50%_off']);
    const page = await store.virtualKeys.search({ search: 'ALPHA', limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 2, items: [{ name: 'Alphabet' }] });
    expect((await store.virtualKeys.search({ search: '%_' })).items.map((key) => key.name)).toEqual([
      '50%_off',
    ]);
  });

  it('filters by owner and reads several rows by id', async () => {
    const [team] = (await store.teams.search({ search: 'plat' })).items;
    const owned = await store.virtualKeys.search({ teamId: team!.id });
    expect(owned.items.map((key) => key.name)).toEqual(['beta']);
    expect((await store.teams.search({ customerId: 'nobody' })).total).toBe(0);
    const ids = (await store.virtualKeys.search()).items.map((key) => key.id);
    expect(await store.virtualKeys.getMany([ids[1]!, 'missing', ids[0]!])).toHaveLength(2);
    expect(await store.virtualKeys.getMany([])).toEqual([]);
  });

  it('reads the budgets and provider configs of several owners at once', async () => {
    const [first, second] = (await store.virtualKeys.search({ limit: 2 })).items;
    await store.budgets.create({ max_limit: 1, reset_duration: '1h', virtual_key_id: first!.id });
    const config = await store.virtualKeyProviderConfigs.create({
      virtual_key_id: second!.id,
      provider: 'openai',
    });
    await store.budgets.create({ max_limit: 2, reset_duration: '1d', provider_config_id: config.id });
    const budgets = await store.budgets.listForOwners({
      virtualKeyIds: [first!.id],
      providerConfigIds: [config.id],
    });
    expect(budgets.map((budget) => budget.max_limit)).toEqual([1, 2]);
    expect(await store.budgets.listForOwners({})).toEqual([]);
    const configs = await store.virtualKeyProviderConfigs.listForVirtualKeys([first!.id, second!.id]);
    expect(configs.map((row) => row.provider)).toEqual(['openai']);
  });

  it('commits a transaction that resolves and rolls back one that rejects', async () => {
    const kept = await store.transaction((transaction) => transaction.customers.create({ name: 'kept' }));
    expect(await store.customers.get(kept.id)).toBeDefined();
    const failing = store.transaction(async (transaction) => {
      await transaction.customers.create({ name: 'rolled-back' });
      throw new Error('stop');
    });
    await expect(failing).rejects.toThrow('stop');
    expect((await store.customers.search({ search: 'rolled-back' })).total).toBe(0);
  });
});
