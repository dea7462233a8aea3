import type { Store } from '@bifrost/store';
import { useStoreBackends } from '@bifrost/store/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { managementTestClient } from './management-test-client.js';

const [embedded] = useStoreBackends();

describe('model config, provider governance and limit list routes', () => {
  let store: Store;
  let client: ReturnType<typeof managementTestClient>;
  beforeAll(async () => {
    store = await embedded!.open();
    client = managementTestClient(store, {
      liveUsage: async (kind) => (kind === 'budget' ? { current_usage: 9 } : { token_current_usage: 77 }),
    });
  });

  it('creates, reads, updates and deletes a model config', async () => {
    const created = await client.call('POST', '/api/governance/model-configs', {
      model_name: 'gpt-4o',
      provider: 'openai',
      budget: { max_limit: 100, reset_duration: '1d' },
      rate_limit: { request_max_limit: 10, request_reset_duration: '1m' },
    });
    expect(created.status).toBe(200);
    expect(Object.keys(created.body).sort()).toEqual(['message', 'model_config']);
    expect(created.body.model_config).toMatchObject({
      model_name: 'gpt-4o',
      provider: 'openai',
      scope: 'global',
      scope_id: null,
      budget: { max_limit: 100 },
      rate_limit: { request_max_limit: 10 },
    });
    const id = created.body.model_config.id;
    expect((await client.call('GET', `/api/governance/model-configs/${id}`)).body.model_config.id).toBe(id);
    const updated = await client.call('PUT', `/api/governance/model-configs/${id}`, {
      budget: { max_limit: 5 },
    });
    expect(updated.body).toMatchObject({
      message: 'Model config updated successfully',
      model_config: { budget: { max_limit: 5 } },
    });
    const deleted = await client.call('DELETE', `/api/governance/model-configs/${id}`);
    expect(deleted.body.message).toContain('deleted');
    expect((await client.call('GET', `/api/governance/model-configs/${id}`)).status).toBe(404);
  });

  it('refuses a duplicate with 409, a scope without its key, and an unknown provider', async () => {
    expect((await client.call('POST', '/api/governance/model-configs', { model_name: '*' })).status).toBe(
      200,
    );
    const duplicate = await client.call('POST', '/api/governance/model-configs', { model_name: '*' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({
      status_code: 409,
      error: { message: "Model config for model '*' (global) already exists" },
    });
    const unscoped = await client.call('POST', '/api/governance/model-configs', {
      model_name: 'm',
      scope: 'virtual_key',
    });
    expect(unscoped.body.error.message).toContain('scope_id is required');
    const unknown = await client.call('POST', '/api/governance/model-configs', {
      model_name: 'm',
      scope: 'virtual_key',
      scope_id: 'nope',
    });
    expect(unknown.body.error.message).toContain('scope_id');
    const provider = await client.call('POST', '/api/governance/model-configs', {
      model_name: 'm',
      provider: 'nobody',
    });
    expect(provider.status).toBe(400);
    expect(
      (await client.call('POST', '/api/governance/model-configs', { provider: 'openai' })).body.error.message,
    ).toContain('Model name is required');
  });

  it('scopes a model config to a virtual key and pages the list', async () => {
    const key = await store.virtualKeys.create({ name: 'scoped', value: 'sk-bf-scoped' });
    const scoped = await client.call('POST', '/api/governance/model-configs', {
      model_name: 'claude-3',
      scope: 'virtual_key',
      scope_id: key.id,
    });
    expect(scoped.body.model_config).toMatchObject({ scope: 'virtual_key', scope_id: key.id });
    const page = await client.call('GET', '/api/governance/model-configs?search=claude');
    expect(page.body).toMatchObject({ count: 1, total_count: 1, limit: 25, offset: 0 });
    const all = await client.call('GET', '/api/governance/model-configs');
    expect(Object.keys(all.body).sort()).toEqual([
      'count',
      'limit',
      'model_configs',
      'offset',
      'total_count',
    ]);
  });

  it('sets, lists and removes deployment-wide provider limits', async () => {
    const put = await client.call('PUT', '/api/governance/providers/openai', {
      budget: { max_limit: 100, reset_duration: '1d' },
      rate_limit: { token_max_limit: 1000, token_reset_duration: '1h' },
      calendar_aligned: true,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      message: 'Provider governance updated successfully',
      provider: {
        provider: 'openai',
        budget: { max_limit: 100 },
        rate_limit: { token_max_limit: 1000 },
        calendar_aligned: true,
      },
    });
    // The row holds limits only: saved-provider readers skip it, so the config file's settings and keys stay in force.
    expect(await store.providers.get('openai')).toMatchObject({ governance_only: true });
    expect((await store.providers.list()).items).toEqual([]);
    const listed = await client.call('GET', '/api/governance/providers');
    expect(listed.body).toMatchObject({ count: 1, providers: [{ provider: 'openai' }] });
    const live = await client.call('GET', '/api/governance/providers?from_memory=true');
    expect(live.body.providers[0]).toMatchObject({
      budget: { current_usage: 9 },
      rate_limit: { token_current_usage: 77 },
    });
    const changed = await client.call('PUT', '/api/governance/providers/openai', {
      budget: { max_limit: 200 },
    });
    expect(changed.body.provider.budget).toMatchObject({ id: put.body.provider.budget.id, max_limit: 200 });
    const deleted = await client.call('DELETE', '/api/governance/providers/openai');
    expect(deleted.body.message).toContain('deleted');
    expect((await client.call('GET', '/api/governance/providers')).body).toEqual({ providers: [], count: 0 });
  });

  it('answers 404 for a provider the gateway does not configure', async () => {
    const unknown = await client.call('PUT', '/api/governance/providers/nobody', {
      budget: { max_limit: 1, reset_duration: '1d' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('Provider not found');
    expect((await client.call('DELETE', '/api/governance/providers/nobody')).status).toBe(404);
  });

  it('lists every budget and rate limit, with live counts on request', async () => {
    const budgets = await client.call('GET', '/api/governance/budgets');
    expect(Object.keys(budgets.body).sort()).toEqual(['budgets', 'count']);
    expect(budgets.body.count).toBe(budgets.body.budgets.length);
    await store.rateLimits.create({ request_max_limit: 1, request_reset_duration: '1m' });
    const rateLimits = await client.call('GET', '/api/governance/rate-limits?from_memory=true');
    expect(Object.keys(rateLimits.body).sort()).toEqual(['count', 'rate_limits']);
    expect(rateLimits.body.rate_limits.at(-1).token_current_usage).toBe(77);
  });
});
