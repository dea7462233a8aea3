import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { useStoreBackends } from './testing/store-test-backends.js';

describe.each(useStoreBackends())('providers and prices on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });

  describe('providers', () => {
    it('stores a provider and its keys and gives them back in the config file shape', async () => {
      const provider = await store.providers.create({
        name: 'openai',
        config: {
          network_config: { base_url: 'http://127.0.0.1:9999', max_retries: 2 },
          send_back_raw_response: true,
        },
      });
      expect(provider.config).toEqual({
        network_config: { base_url: 'http://127.0.0.1:9999', max_retries: 2 },
        send_back_raw_response: true,
      });
      const primary = await store.providers.createKey({
        provider: 'openai',
        name: 'primary',
        value: 'env.OPENAI_API_KEY',
        models: ['gpt-4o'],
        weight: 2,
      });
      await store.providers.createKey({
        id: 'spare',
        provider: 'openai',
        name: 'spare',
        value: 'sk-x',
        enabled: false,
      });
      expect(await store.providers.getConfig('openai')).toEqual({
        network_config: { base_url: 'http://127.0.0.1:9999', max_retries: 2 },
        send_back_raw_response: true,
        keys: [{ id: primary.id, value: 'env.OPENAI_API_KEY', models: ['gpt-4o'], weight: 2 }],
      });
      expect(await store.providers.getConfig('missing')).toBeUndefined();
    });

    it('refuses a taken provider name and a taken key name, and cascades keys on delete', async () => {
      await store.providers.create({ name: 'anthropic' });
      await expect(store.providers.create({ name: 'anthropic' })).rejects.toMatchObject({
        code: 'conflict',
        field: 'name',
      });
      const key = await store.providers.createKey({ provider: 'anthropic', name: 'main', value: 'sk-ant' });
      const again = store.providers.createKey({ provider: 'anthropic', name: 'main', value: 'sk-ant-2' });
      await expect(again).rejects.toMatchObject({ code: 'conflict', field: 'name' });
      const orphan = store.providers.createKey({ provider: 'nobody', name: 'main', value: 'sk' });
      await expect(orphan).rejects.toMatchObject({ code: 'invalid_reference', field: 'provider' });

      expect(await store.providers.updateKey(key.id, { blacklisted_models: ['claude-2'] })).toMatchObject({
        blacklisted_models: ['claude-2'],
        models: [],
      });
      expect(await store.providers.update('anthropic', { calendar_aligned: true })).toMatchObject({
        calendar_aligned: true,
      });
      expect((await store.providers.list()).items.map((provider) => provider.name)).toEqual([
        'anthropic',
        'openai',
      ]);
      expect(await store.providers.delete('anthropic')).toBe(true);
      expect(await store.providers.getKey(key.id)).toBeUndefined();
      expect((await store.providers.listKeys()).map((entry) => entry.provider)).toEqual(['openai', 'openai']);
    });
  });

  describe('governance-only provider rows', () => {
    it('keeps rows that only hold limits out of the settings readers, until settings are saved', async () => {
      const budget = await store.budgets.create({ max_limit: 100, reset_duration: '1M' });
      await store.providers.create({ name: 'gemini', governance_only: true, budget_id: budget.id });
      const listed = async (includeGovernanceOnly?: boolean) =>
        (await store.providers.list({ includeGovernanceOnly })).items.map((row) => row.name);
      expect(await listed()).not.toContain('gemini');
      expect(await listed(true)).toContain('gemini');
      expect(await store.providers.getConfig('gemini')).toBeUndefined();
      const saved = await store.providers.update('gemini', { config: { send_back_raw_response: true } });
      expect(saved).toMatchObject({ governance_only: false, budget_id: budget.id });
      expect(await listed()).toContain('gemini');
    });
  });

  describe('pricing overrides', () => {
    it('stores an override with upstream field names and refuses a taken name', async () => {
      const override = await store.pricingOverrides.create({
        name: 'cheap mini',
        scope_kind: 'provider',
        provider_id: 'openai',
        match_type: 'exact',
        pattern: 'gpt-4o-mini',
        request_types: ['chat_completion'],
        patch: { input_cost_per_token: 1e-7, output_cost_per_token: 4e-7 },
      });
      expect(override).toMatchObject({
        request_types: ['chat_completion'],
        patch: { input_cost_per_token: 1e-7, output_cost_per_token: 4e-7 },
      });
      const twin = store.pricingOverrides.create({ ...override, pattern: 'other' });
      await expect(twin).rejects.toMatchObject({ code: 'conflict', field: 'name' });
      const updated = await store.pricingOverrides.update(override.id, {
        patch: { input_cost_per_token: 2e-7 },
      });
      expect(updated?.patch).toEqual({ input_cost_per_token: 2e-7 });
      expect((await store.pricingOverrides.list()).items).toHaveLength(1);
      expect(await store.pricingOverrides.delete(override.id)).toBe(true);
    });
  });
});
