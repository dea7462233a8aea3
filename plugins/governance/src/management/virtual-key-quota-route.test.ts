import type { Store } from '@bifrost/store';
import { useStoreBackends } from '@bifrost/store/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { envelopeKeys, managementTestClient } from './management-test-client.js';

const [embedded] = useStoreBackends();
const quota = '/api/governance/virtual-keys/quota';

describe('virtual key quota route', () => {
  let store: Store;
  let client: ReturnType<typeof managementTestClient>;
  let value: string;
  beforeAll(async () => {
    store = await embedded!.open();
    client = managementTestClient(store, {
      liveUsage: async (kind) =>
        kind === 'rate_limit' ? { request_current_usage: 2 } : { current_usage: 1.25 },
    });
    const team = await store.teams.create({ name: 'Engineering' });
    const teamBudget = await store.budgets.create({ max_limit: 125, reset_duration: '1M' });
    await store.teams.update(team.id, { budget_id: teamBudget.id });
    await store.modelConfigs.create({ model_name: '*', scope: 'global' });
    const { body } = await client.call('POST', '/api/governance/virtual-keys', {
      name: 'quota-key',
      team_id: team.id,
      budgets: [{ max_limit: 10, reset_duration: '1d' }],
      rate_limit: { request_max_limit: 5, request_reset_duration: '1m' },
      provider_configs: [{ provider: 'openai', budgets: [{ max_limit: 2, reset_duration: '1h' }] }],
    });
    value = body.virtual_key.value;
  });

  it('answers exactly the seven keys, with live counts and the team budget labelled', async () => {
    const { status, body } = await client.call('GET', quota, undefined, { 'x-bf-vk': value });
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual([
      'budgets',
      'is_active',
      'model_configs',
      'provider_configs',
      'rate_limit',
      'rate_limits',
      'virtual_key_name',
    ]);
    expect(body).toMatchObject({ virtual_key_name: 'quota-key', is_active: true });
    expect(body.budgets).toMatchObject([
      { max_limit: 10, current_usage: 1.25 },
      { max_limit: 125, source_name: 'Engineering' },
    ]);
    expect(body.rate_limit).toMatchObject({ request_max_limit: 5, request_current_usage: 2 });
    expect(body.rate_limits).toHaveLength(1);
    expect(body.provider_configs).toMatchObject([
      { provider: 'openai', budgets: [{ max_limit: 2 }], rate_limit: null },
    ]);
    expect(body.model_configs).toMatchObject([{ model_name: '*', scope: 'global', budgets: [] }]);
  });

  it('accepts the key as a Bearer token only with the sk-bf- prefix', async () => {
    expect((await client.call('GET', quota, undefined, { authorization: `Bearer ${value}` })).status).toBe(
      200,
    );
    const unprefixed = await client.call('GET', quota, undefined, { authorization: 'Bearer sk-openai-123' });
    expect(unprefixed.status).toBe(401);
    expect(unprefixed.body.error.message).toContain('Missing virtual key');
  });

  it.each<[string, Record<string, string>, number, string]>([
    ['no key', {}, 401, 'Missing virtual key'],
    ['an unknown key', { 'x-bf-vk': 'sk-bf-unknown' }, 401, 'Virtual key not found'],
  ])('answers %s with %i in the full envelope', async (_case, headers, status, message) => {
    const answer = await client.call('GET', quota, undefined, headers);
    expect(answer.status).toBe(status);
    expect(Object.keys(answer.body).sort()).toEqual(envelopeKeys);
    expect(answer.body).toMatchObject({ status_code: status, error: { message } });
  });

  it('answers an expired key with 403 and an inactive one with 200 and is_active false', async () => {
    const expired = await store.virtualKeys.create({
      name: 'expired',
      value: 'sk-bf-expired',
      expires_at: new Date('2020-01-01T00:00:00Z'),
    });
    const answer = await client.call('GET', quota, undefined, { 'x-bf-vk': expired.value });
    expect(answer.status).toBe(403);
    expect(answer.body.error.message).toBe('Virtual key has expired');
    await store.virtualKeys.create({ name: 'inactive', value: 'legacy-inactive', is_active: false });
    const inactive = await client.call('GET', quota, undefined, { 'x-bf-vk': 'legacy-inactive' });
    expect(inactive.status).toBe(200);
    expect(inactive.body).toMatchObject({ is_active: false, budgets: [], rate_limit: null, rate_limits: [] });
  });

  it('is mounted before /virtual-keys/:vk_id, which would otherwise take it', () => {
    const paths = client.routes.filter((route) => route.method === 'GET').map((route) => route.path);
    expect(paths.indexOf(quota)).toBeLessThan(paths.indexOf('/api/governance/virtual-keys/:vk_id'));
  });
});
