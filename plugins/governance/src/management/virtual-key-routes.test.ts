import type { Store } from '@bifrost/store';
import { useStoreBackends } from '@bifrost/store/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { envelopeKeys, managementTestClient } from './management-test-client.js';

const [embedded] = useStoreBackends();

const fullBody = {
  name: 'Quota coverage key',
  description: 'coverage',
  budgets: [{ max_limit: 12.34, reset_duration: '1h' }],
  rate_limit: {
    token_max_limit: 1111,
    token_reset_duration: '1h',
    request_max_limit: 222,
    request_reset_duration: '1h',
  },
  provider_configs: [
    {
      provider: 'openai',
      weight: 1,
      allowed_models: ['gpt-4o-mini', 'regex:gpt-4o.*'],
      blacklisted_models: ['coverage-probe-blocked-model'],
      key_ids: ['*'],
      budgets: [{ max_limit: 5.67, reset_duration: '30m' }],
      rate_limit: { request_max_limit: 44, request_reset_duration: '30m' },
    },
  ],
  mcp_configs: [{ mcp_client_name: 'fs', tools_to_execute: ['*'] }],
  expires_at: '2099-01-01T00:00:00Z',
  delete_after_expire: true,
  disable_content_logging: true,
};

describe('virtual key routes', () => {
  let store: Store;
  let client: ReturnType<typeof managementTestClient>;
  beforeAll(async () => {
    store = await embedded!.open();
    client = managementTestClient(store);
  });

  it('creates a key and answers with exactly message and virtual_key, in upstream shape', async () => {
    const created = await client.call('POST', '/api/governance/virtual-keys', fullBody);
    expect(created.status).toBe(200);
    expect(Object.keys(created.body).sort()).toEqual(['message', 'virtual_key']);
    expect(created.body.message).toBe('Virtual key created successfully');
    const key = created.body.virtual_key;
    expect(key.value).toMatch(/^sk-bf-[A-Za-z0-9_-]{32,}$/);
    expect(key).toMatchObject({
      name: 'Quota coverage key',
      is_active: true,
      team_id: null,
      customer_id: null,
      expires_at: '2099-01-01T00:00:00.000Z',
      delete_after_expire: true,
      disable_content_logging: true,
      allow_all_providers: false,
      mcp_configs: [{ mcp_client_name: 'fs', tools_to_execute: ['*'] }],
      rate_limit: {
        token_max_limit: 1111,
        request_max_limit: 222,
        token_current_usage: 0,
        request_reset_duration: '1h',
      },
      budgets: [{ max_limit: 12.34, reset_duration: '1h', current_usage: 0, virtual_key_id: key.id }],
    });
    expect(key.rate_limit_id).toBe(key.rate_limit.id);
    expect(key.provider_configs).toHaveLength(1);
    expect(key.provider_configs[0]).toMatchObject({
      provider: 'openai',
      weight: 1,
      allowed_models: ['gpt-4o-mini', 'regex:gpt-4o.*'],
      allow_all_keys: true,
      keys: [],
      budgets: [{ max_limit: 5.67, reset_duration: '30m' }],
      rate_limit: { request_max_limit: 44 },
    });
    expect(typeof key.provider_configs[0].id).toBe('number');
    expect(client.changes.count).toBeGreaterThan(0);
  });

  it('reads a key by id, and answers an unknown id with a 404 envelope', async () => {
    const { body } = await client.call('POST', '/api/governance/virtual-keys', { name: 'readable' });
    const read = await client.call('GET', `/api/governance/virtual-keys/${body.virtual_key.id}`);
    expect(read.status).toBe(200);
    expect(Object.keys(read.body)).toEqual(['virtual_key']);
    expect(read.body.virtual_key).toMatchObject({ name: 'readable', budgets: [] });
    expect(read.body.virtual_key.provider_configs).toEqual([]);
    const missing = await client.call('GET', '/api/governance/virtual-keys/nope');
    expect(missing.status).toBe(404);
    expect(Object.keys(missing.body).sort()).toEqual(envelopeKeys);
    expect(missing.body).toMatchObject({ status_code: 404, error: { message: 'Virtual key not found' } });
  });

  it('deletes a key with its rate limits, then answers 404', async () => {
    const { body } = await client.call('POST', '/api/governance/virtual-keys', {
      name: 'doomed',
      rate_limit: { request_max_limit: 1, request_reset_duration: '1m' },
    });
    const id = body.virtual_key.id;
    const deleted = await client.call('DELETE', `/api/governance/virtual-keys/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.message).toContain('deleted');
    expect(await store.rateLimits.get(body.virtual_key.rate_limit_id)).toBeUndefined();
    expect((await client.call('DELETE', `/api/governance/virtual-keys/${id}`)).status).toBe(404);
  });

  it('shows live counters with from_memory=true and the store copy without it', async () => {
    const { body } = await client.call('POST', '/api/governance/virtual-keys', {
      name: 'live',
      budgets: [{ max_limit: 10, reset_duration: '1d' }],
      rate_limit: { request_max_limit: 5, request_reset_duration: '1m' },
    });
    const live = managementTestClient(store, {
      liveUsage: async (kind) =>
        kind === 'budget'
          ? { current_usage: 4.5 }
          : { request_current_usage: 3, request_last_reset: '2030-01-01T00:00:00Z' },
    });
    const path = `/api/governance/virtual-keys/${body.virtual_key.id}`;
    const fromMemory = (await live.call('GET', `${path}?from_memory=true`)).body.virtual_key;
    expect(fromMemory.budgets[0].current_usage).toBe(4.5);
    expect(fromMemory.rate_limit).toMatchObject({
      request_current_usage: 3,
      request_last_reset: '2030-01-01T00:00:00.000Z',
    });
    expect((await live.call('GET', path)).body.virtual_key.rate_limit.request_current_usage).toBe(0);
    const listed = await live.call('GET', '/api/governance/virtual-keys?from_memory=true');
    expect(
      listed.body.virtual_keys.find((key: { name: string }) => key.name === 'live').budgets[0].current_usage,
    ).toBe(4.5);
  });
});

describe('virtual key lists', () => {
  let client: ReturnType<typeof managementTestClient>;
  let teamId: string;
  beforeAll(async () => {
    const store = await embedded!.open();
    client = managementTestClient(store);
    teamId = (await store.teams.create({ name: 'platform' })).id;
    for (const name of ['alpha', 'beta', 'gamma', 'alphabet']) {
      await client.call('POST', '/api/governance/virtual-keys', {
        name,
        ...(name === 'beta' ? { team_id: teamId } : {}),
      });
    }
  });

  it('returns every row without paging parameters', async () => {
    const { status, body } = await client.call('GET', '/api/governance/virtual-keys');
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['count', 'limit', 'offset', 'total_count', 'virtual_keys']);
    expect(body).toMatchObject({ count: 4, total_count: 4, limit: 4, offset: 0 });
  });

  it('pages with limit and offset, searches names and filters by team', async () => {
    expect((await client.call('GET', '/api/governance/virtual-keys?limit=2&offset=1')).body).toMatchObject({
      count: 2,
      total_count: 4,
      limit: 2,
      offset: 1,
      virtual_keys: [{ name: 'beta' }, { name: 'gamma' }],
    });
    const searched = await client.call('GET', '/api/governance/virtual-keys?search=ALPHA');
    expect(searched.body).toMatchObject({ count: 2, total_count: 2, limit: 25, offset: 0 });
    const owned = await client.call('GET', `/api/governance/virtual-keys?team_id=${teamId}`);
    expect(owned.body.virtual_keys.map((key: { name: string }) => key.name)).toEqual(['beta']);
    expect((await client.call('GET', '/api/governance/virtual-keys?limit=1000')).body.limit).toBe(100);
    expect((await client.call('GET', '/api/governance/virtual-keys?limit=0')).body.limit).toBe(25);
  });

  it.each([
    ['limit=abc', 'Invalid limit parameter: must be a number'],
    ['limit=-1', 'Invalid limit parameter: must be non-negative'],
    ['offset=x', 'Invalid offset parameter: must be a number'],
  ])('refuses %s with 400', async (query, message) => {
    const { status, body } = await client.call('GET', `/api/governance/virtual-keys?${query}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ status_code: 400, error: { message } });
  });
});
