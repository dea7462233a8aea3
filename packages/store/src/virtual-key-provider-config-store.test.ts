import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { useStoreBackends } from './testing/store-test-backends.js';

describe.each(useStoreBackends())('virtual key provider configs on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });

  it('keeps one config per provider with integer ids, model lists and budgets', async () => {
    const key = await store.virtualKeys.create({ name: 'routed', value: 'sk-bf-routed' });
    const openai = await store.virtualKeyProviderConfigs.create({
      virtual_key_id: key.id,
      provider: 'openai',
      weight: 0.7,
      allowed_models: ['gpt-4o-mini', 'regex:gpt-4.*'],
      blacklisted_models: ['gpt-4o'],
      key_ids: ['*'],
    });
    expect(openai).toMatchObject({
      provider: 'openai',
      weight: 0.7,
      allowed_models: ['gpt-4o-mini', 'regex:gpt-4.*'],
    });
    expect(typeof openai.id).toBe('number');
    await store.virtualKeyProviderConfigs.create({ virtual_key_id: key.id, provider: 'anthropic' });
    const again = store.virtualKeyProviderConfigs.create({ virtual_key_id: key.id, provider: 'openai' });
    await expect(again).rejects.toMatchObject({ code: 'conflict', field: 'provider' });

    await store.budgets.create({ max_limit: 5.67, reset_duration: '30m', provider_config_id: openai.id });
    expect(await store.budgets.listForProviderConfig(openai.id)).toHaveLength(1);
    const updated = await store.virtualKeyProviderConfigs.update(openai.id, {
      weight: null,
      allowed_models: ['*'],
    });
    expect(updated).toMatchObject({ weight: null, allowed_models: ['*'], blacklisted_models: ['gpt-4o'] });
    const configs = await store.virtualKeyProviderConfigs.listForVirtualKey(key.id);
    expect(configs.map((config) => config.provider)).toEqual(['openai', 'anthropic']);

    expect(await store.virtualKeyProviderConfigs.delete(openai.id)).toBe(true);
    expect(await store.budgets.listForProviderConfig(openai.id)).toEqual([]);
    await store.virtualKeys.delete(key.id);
    expect(await store.virtualKeyProviderConfigs.listForVirtualKey(key.id)).toEqual([]);
  });
});
