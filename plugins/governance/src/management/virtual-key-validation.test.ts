import { type Store, StoreUnavailableError } from '@bifrost/store';
import { useStoreBackends } from '@bifrost/store/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { envelopeKeys, managementTestClient } from './management-test-client.js';

const [embedded] = useStoreBackends();
const openai = (extra: Record<string, unknown>) => ({
  name: 'k',
  provider_configs: [{ provider: 'openai', ...extra }],
});

describe('virtual key validation', () => {
  let store: Store;
  let client: ReturnType<typeof managementTestClient>;
  beforeAll(async () => {
    store = await embedded!.open();
    client = managementTestClient(store);
  });

  it.each<[string, unknown, string]>([
    ['a missing name', {}, 'name: Virtual key name is required'],
    ['an empty name', { name: '  ' }, 'Virtual key name is required'],
    ['an unknown field', { name: 'k', colour: 'red' }, 'Unknown field "colour"'],
    ['an unknown nested field', openai({ wieght: 1 }), 'Unknown field "provider_configs[0].wieght"'],
    [
      'a bad reset duration',
      { name: 'k', budgets: [{ max_limit: 1, reset_duration: '1x' }] },
      'budgets[0].reset_duration',
    ],
    [
      'a zero budget',
      { name: 'k', budgets: [{ max_limit: 0, reset_duration: '1h' }] },
      'max_limit must be greater than 0',
    ],
    [
      'a negative budget',
      { name: 'k', budgets: [{ max_limit: -1, reset_duration: '1h' }] },
      'budgets[0].max_limit',
    ],
    [
      'a duplicate reset duration',
      {
        name: 'k',
        budgets: [
          { max_limit: 1, reset_duration: '1h' },
          { max_limit: 2, reset_duration: '1h' },
        ],
      },
      'Duplicate reset_duration in budgets: 1h',
    ],
    [
      'a zero rate limit',
      { name: 'k', rate_limit: { request_max_limit: 0, request_reset_duration: '1m' } },
      'request_max_limit must be greater than 0',
    ],
    [
      'a max without a duration',
      { name: 'k', rate_limit: { token_max_limit: 10 } },
      'token_reset_duration is required when token_max_limit is set',
    ],
    [
      'both team and customer',
      { name: 'k', team_id: 't', customer_id: 'c' },
      'VirtualKey cannot be attached to both Team and Customer',
    ],
    ['an unknown team', { name: 'k', team_id: 'nope' }, 'team_id'],
    ['an unknown customer', { name: 'k', customer_id: 'nope' }, 'customer_id'],
    ['an empty model entry', openai({ allowed_models: [''] }), 'provider_configs[0].allowed_models[0]'],
    ['regex:*', openai({ allowed_models: ['regex:*'] }), 'regex'],
    ['a regex that does not compile', openai({ blacklisted_models: ['regex:gpt-(4'] }), 'regex'],
    ['a provider the gateway lacks', openai({ provider: 'nobody' }), 'provider_configs[0].provider'],
    [
      'the same provider twice',
      { name: 'k', provider_configs: [{ provider: 'openai' }, { provider: 'openai' }] },
      'listed twice',
    ],
    ['a past expiry', { name: 'k', expires_at: '2001-01-01T00:00:00Z' }, 'future'],
    ['a malformed expiry', { name: 'k', expires_at: 'not-a-timestamp' }, 'RFC3339'],
    ['delete_after_expire without expires_at', { name: 'k', delete_after_expire: true }, 'expires_at'],
    ['a body that is not an object', [1, 2], 'expected object'],
    ['malformed JSON', '{"name": ', 'Invalid JSON'],
  ])('refuses %s with a 400 naming the field', async (_case, body, message) => {
    const answer = await client.call('POST', '/api/governance/virtual-keys', body);
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body).sort()).toEqual(envelopeKeys);
    expect(answer.body.status_code).toBe(400);
    expect(answer.body.error.message).toContain(message);
  });

  it('writes nothing when a create is refused', async () => {
    expect((await store.virtualKeys.search()).total).toBe(0);
    expect((await store.rateLimits.search()).total).toBe(0);
  });

  it('refuses a name already taken with a 400 naming name', async () => {
    expect((await client.call('POST', '/api/governance/virtual-keys', { name: 'once' })).status).toBe(200);
    const again = await client.call('POST', '/api/governance/virtual-keys', { name: 'once' });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe('name is already taken');
  });

  it('accepts and ignores the pre-v1.5.0 singular budget', async () => {
    const answer = await client.call('POST', '/api/governance/virtual-keys', {
      name: 'legacy',
      budget: { max_limit: 5, reset_duration: '1d' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.virtual_key.budgets).toEqual([]);
  });

  it('answers a store outage with a 503 envelope, never a 500', async () => {
    // Every store call rejects as a store whose server went away does.
    const unavailable = () =>
      Promise.reject(new StoreUnavailableError('the store is unavailable: connection refused'));
    const down = new Proxy({} as Store, { get: () => new Proxy(unavailable, { get: () => unavailable }) });
    const outage = managementTestClient(down);
    for (const [method, path, body] of [
      ['GET', '/api/governance/virtual-keys', undefined],
      ['POST', '/api/governance/virtual-keys', { name: 'down' }],
      ['GET', '/api/governance/virtual-keys/some-id', undefined],
    ] as const) {
      const answer = await outage.call(method, path, body);
      console.log('OUT', method, path, answer.status, answer.body.error.message);
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ is_bifrost_error: false, status_code: 503 });
    }
  });
});
