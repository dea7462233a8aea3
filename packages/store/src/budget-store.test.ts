import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { useStoreBackends } from './testing/store-test-backends.js';

describe.each(useStoreBackends())('budgets on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });

  it('creates a budget with zero usage and a window starting now, and updates its override', async () => {
    const budget = await store.budgets.create({ max_limit: 12.34, reset_duration: '1h' });
    expect(budget).toMatchObject({
      max_limit: 12.34,
      reset_duration: '1h',
      current_usage: 0,
      override_amount: null,
    });
    expect(budget.last_reset).toBeInstanceOf(Date);
    const overridden = await store.budgets.update(budget.id, {
      override_amount: 7.5,
      override_mode: 'forever',
    });
    expect(overridden).toMatchObject({ override_amount: 7.5, override_mode: 'forever', max_limit: 12.34 });
    expect(overridden!.updated_at.getTime()).toBeGreaterThanOrEqual(budget.updated_at.getTime());
  });

  it("lists a virtual key's budgets and refuses two with the same reset duration", async () => {
    const key = await store.virtualKeys.create({ name: 'budgeted', value: 'sk-bf-budgeted' });
    await store.budgets.create({ max_limit: 10, reset_duration: '1h', virtual_key_id: key.id });
    await store.budgets.create({ max_limit: 100, reset_duration: '1d', virtual_key_id: key.id });
    const duplicate = store.budgets.create({ max_limit: 5, reset_duration: '1h', virtual_key_id: key.id });
    await expect(duplicate).rejects.toMatchObject({ code: 'conflict', field: 'reset_duration' });
    expect((await store.budgets.listForVirtualKey(key.id)).map((budget) => budget.reset_duration)).toEqual([
      '1h',
      '1d',
    ]);
    await store.virtualKeys.delete(key.id);
    expect(await store.budgets.listForVirtualKey(key.id)).toEqual([]);
  });

  it('resets usage of several budgets at once', async () => {
    const first = await store.budgets.create({ max_limit: 1, reset_duration: '1h' });
    const second = await store.budgets.create({ max_limit: 1, reset_duration: '1h' });
    await store.applyUsageDeltas({
      budgets: [
        { id: first.id, amount: 0.5 },
        { id: second.id, amount: 0.75 },
      ],
    });
    const at = new Date('2030-06-01T00:00:00Z');
    expect(await store.budgets.resetUsage([first.id, second.id], at)).toBe(2);
    expect(await store.budgets.get(second.id)).toMatchObject({ current_usage: 0, last_reset: at });
  });

  it('pages budgets and deletes one, leaving its owner without a budget', async () => {
    const budget = await store.budgets.create({ max_limit: 3, reset_duration: '1w' });
    const team = await store.teams.create({ name: 'spenders', budget_id: budget.id });
    const page = await store.budgets.list({ limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.next).toBeDefined();
    expect(await store.budgets.delete(budget.id)).toBe(true);
    expect((await store.teams.get(team.id))?.budget_id).toBeNull();
  });
});
