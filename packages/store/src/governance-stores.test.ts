import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { useStoreBackends } from './testing/store-test-backends.js';

describe.each(useStoreBackends())('governance stores on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });

  describe('budgets', () => {
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

  describe('rate limits', () => {
    it('creates, updates, resets and deletes a rate limit', async () => {
      const limit = await store.rateLimits.create({
        token_max_limit: 1111,
        token_reset_duration: '1h',
        request_max_limit: 222,
        request_reset_duration: '1m',
      });
      expect(limit).toMatchObject({ token_max_limit: 1111, request_max_limit: 222, token_current_usage: 0 });
      await store.applyUsageDeltas({ rateLimits: [{ id: limit.id, tokens: 3_000_000_000, requests: 2 }] });
      // Token counters are bigint columns: large values come back as exact numbers on both back ends.
      expect(await store.rateLimits.get(limit.id)).toMatchObject({
        token_current_usage: 3_000_000_000,
        request_current_usage: 2,
      });
      const at = new Date('2030-01-01T00:00:00Z');
      const reset = await store.rateLimits.resetUsage(limit.id, { requests: true }, at);
      expect(reset).toMatchObject({
        token_current_usage: 3_000_000_000,
        request_current_usage: 0,
        request_last_reset: at,
      });
      expect(await store.rateLimits.update(limit.id, { request_max_limit: 5 })).toMatchObject({
        request_max_limit: 5,
      });
      expect(await store.rateLimits.delete(limit.id)).toBe(true);
      expect((await store.rateLimits.list()).items).toEqual([]);
    });
  });

  describe('teams and customers', () => {
    it("keeps a customer above its teams and lists one customer's teams", async () => {
      const budget = await store.budgets.create({ max_limit: 500, reset_duration: '1M' });
      const customer = await store.customers.create({
        name: 'acme',
        budget_id: budget.id,
        calendar_aligned: true,
      });
      expect(customer).toMatchObject({ name: 'acme', budget_id: budget.id, calendar_aligned: true });
      const platform = await store.teams.create({ name: 'platform', customer_id: customer.id });
      const loners = await store.teams.create({ name: 'loners' });
      expect((await store.teams.list({ customerId: customer.id })).items.map((team) => team.id)).toEqual([
        platform.id,
      ]);
      const all = (await store.teams.list()).items.map((team) => team.id);
      expect(all).toEqual(expect.arrayContaining([platform.id, loners.id]));
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

  describe('model configs', () => {
    it('keeps one config per model, provider and scope, and updates and deletes it', async () => {
      const limit = await store.rateLimits.create({ request_max_limit: 10, request_reset_duration: '1m' });
      const global = await store.modelConfigs.create({ model_name: '*', rate_limit_id: limit.id });
      expect(global).toMatchObject({ model_name: '*', provider: null, scope: 'global', scope_id: null });
      // Nulls count as equal here: a second global `*` with no provider is the same config.
      await expect(store.modelConfigs.create({ model_name: '*' })).rejects.toMatchObject({
        field: 'model_name',
      });
      await store.modelConfigs.create({ model_name: '*', provider: 'openai' });
      await store.modelConfigs.create({ model_name: 'gpt-4o', scope: 'virtual_key', scope_id: 'vk-1' });
      expect((await store.modelConfigs.list()).items).toHaveLength(3);
      expect(await store.modelConfigs.update(global.id, { provider: 'anthropic' })).toMatchObject({
        provider: 'anthropic',
      });
      expect(await store.modelConfigs.delete(global.id)).toBe(true);
      expect(await store.modelConfigs.get(global.id)).toBeUndefined();
    });
  });
});
