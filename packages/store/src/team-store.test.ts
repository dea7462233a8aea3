import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { useStoreBackends } from './testing/store-test-backends.js';

describe.each(useStoreBackends())('teams and customers on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });

  it("keeps a customer above its teams and lists one customer's teams", async () => {
    const budget = await store.budgets.create({ max_limit: 500, reset_duration: '1M' });
    const customer = await store.customers.create({
      name: 'acme',
      budget_id: budget.id,
      calendar_aligned: true,
    });
    expect(customer).toMatchObject({ name: 'acme', budget_id: budget.id, calendar_aligned: true });
    const platform = await store.teams.create({ name: 'platform', customer_id: customer.id });
    await store.teams.create({ name: 'loners' });
    expect((await store.teams.list({ customerId: customer.id })).items.map((team) => team.id)).toEqual([
      platform.id,
    ]);
    expect((await store.teams.list()).items).toHaveLength(2);
    expect(await store.customers.update(customer.id, { name: 'acme inc' })).toMatchObject({
      name: 'acme inc',
    });
  });

  it('detaches teams and keys when their customer or team is deleted', async () => {
    const customer = await store.customers.create({ name: 'leaving' });
    const team = await store.teams.create({ name: 'orphaned', customer_id: customer.id });
    const key = await store.virtualKeys.create({
      name: 'team-key',
      value: 'sk-bf-team-key',
      team_id: team.id,
    });
    expect(await store.customers.delete(customer.id)).toBe(true);
    expect((await store.teams.get(team.id))?.customer_id).toBeNull();
    expect(await store.teams.delete(team.id)).toBe(true);
    expect((await store.virtualKeys.get(key.id))?.team_id).toBeNull();
    expect(await store.customers.get(customer.id)).toBeUndefined();
  });
});
