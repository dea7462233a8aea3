import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { StoreConflictError, StoreError } from './store-error.js';
import { useStoreBackends } from './testing/store-test-backends.js';

describe.each(useStoreBackends())('virtual keys on $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });

  it('creates, reads, updates and deletes a key with upstream field names', async () => {
    const created = await store.virtualKeys.create({
      name: 'crud',
      value: 'sk-bf-crud',
      mcp_configs: [{ mcp_client_name: 'fs', tools_to_execute: ['*'] }],
      expires_at: new Date('2030-01-01T00:00:00Z'),
    });
    expect(created).toMatchObject({
      name: 'crud',
      value: 'sk-bf-crud',
      description: '',
      is_active: true,
      team_id: null,
      allow_all_providers: false,
      disable_content_logging: null,
      mcp_configs: [{ mcp_client_name: 'fs', tools_to_execute: ['*'] }],
    });
    expect(created.expires_at).toEqual(new Date('2030-01-01T00:00:00Z'));
    expect(created.created_at).toBeInstanceOf(Date);
    expect(await store.virtualKeys.getByValue('sk-bf-crud')).toEqual(created);

    const updated = await store.virtualKeys.update(created.id, {
      is_active: false,
      disable_content_logging: false,
    });
    expect(updated).toMatchObject({ is_active: false, disable_content_logging: false, value: 'sk-bf-crud' });
    expect(await store.virtualKeys.update('missing', { is_active: true })).toBeUndefined();

    expect(await store.virtualKeys.delete(created.id)).toBe(true);
    expect(await store.virtualKeys.get(created.id)).toBeUndefined();
    expect(await store.virtualKeys.delete(created.id)).toBe(false);
  });

  it('refuses a taken name or value with a conflict naming the field', async () => {
    await store.virtualKeys.create({ name: 'taken', value: 'sk-bf-taken' });
    const byName = store.virtualKeys.create({ name: 'taken', value: 'sk-bf-new' });
    await expect(byName).rejects.toBeInstanceOf(StoreConflictError);
    await expect(byName).rejects.toMatchObject({ code: 'conflict', field: 'name' });
    await expect(store.virtualKeys.create({ name: 'fresh', value: 'sk-bf-taken' })).rejects.toMatchObject({
      field: 'value',
    });
  });

  it('refuses a key attached to both a team and a customer, and an unknown team', async () => {
    const customer = await store.customers.create({ name: 'acme' });
    const team = await store.teams.create({ name: 'platform', customer_id: customer.id });
    const both = store.virtualKeys.create({
      name: 'both',
      value: 'sk-bf-both',
      team_id: team.id,
      customer_id: customer.id,
    });
    await expect(both).rejects.toMatchObject({ code: 'constraint_violated', field: 'team_id' });
    const unknown = store.virtualKeys.create({
      name: 'orphan',
      value: 'sk-bf-orphan',
      team_id: 'no-such-team',
    });
    await expect(unknown).rejects.toBeInstanceOf(StoreError);
    await expect(unknown).rejects.toMatchObject({ code: 'invalid_reference', field: 'team_id' });
  });

  it('pages through a few thousand keys by keyset, in creation order, and filters by team', async () => {
    const team = await store.teams.create({ name: 'paging' });
    const total = 2500;
    await store.db
      .insertInto('virtual_keys')
      .values(
        Array.from({ length: total }, (_, index) => ({
          id: `page-${String(index).padStart(5, '0')}`,
          name: `page-${index}`,
          value: `sk-bf-page-${index}`,
          team_id: team.id,
          mcp_configs: '[]',
        })),
      )
      .execute();
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await store.virtualKeys.list({
        teamId: team.id,
        limit: 1000,
        ...(after ? { after } : {}),
      });
      seen.push(...page.items.map((key) => key.id));
      after = page.next;
      pages += 1;
    } while (after !== undefined);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(total);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(total);
    expect((await store.virtualKeys.list({ limit: 5 })).items).toHaveLength(5);
  });

  describe('provider configs', () => {
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
});
