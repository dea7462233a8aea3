import type { Store } from '@bifrost/store';
import { useStoreBackends } from '@bifrost/store/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { managementTestClient } from './management-test-client.js';

const [embedded] = useStoreBackends();
const clock = { now: Date.parse('2026-06-01T00:00:00Z') };

describe('virtual key updates', () => {
  let store: Store;
  let client: ReturnType<typeof managementTestClient>;
  beforeAll(async () => {
    store = await embedded!.open();
    client = managementTestClient(store, { now: () => clock.now });
  });

  async function create(body: Record<string, unknown>) {
    const { status, body: answer } = await client.call('POST', '/api/governance/virtual-keys', body);
    expect(status).toBe(200);
    return answer.virtual_key;
  }
  const update = (id: string, body: unknown) =>
    client.call('PUT', `/api/governance/virtual-keys/${id}`, body);

  it('answers with message and the updated key, and 404 for an unknown id', async () => {
    const key = await create({ name: 'renamed-before', description: 'a' });
    const answer = await update(key.id, { name: 'renamed-after', is_active: false });
    expect(answer.status).toBe(200);
    expect(answer.body.message).toBe('Virtual key updated successfully');
    expect(answer.body.virtual_key).toMatchObject({
      name: 'renamed-after',
      description: 'a',
      is_active: false,
    });
    expect(answer.body.virtual_key.value).toBe(key.value);
    expect((await update('nope', { name: 'x' })).status).toBe(404);
  });

  it('leaves expires_at alone when omitted, clears it with "", and refuses past or malformed times', async () => {
    const key = await create({ name: 'expiring', expires_at: '2026-07-01T00:00:00Z' });
    clock.now = Date.parse('2026-08-01T00:00:00Z');
    // An unrelated edit of an expired key succeeds without re-checking the expiry.
    const unrelated = await update(key.id, { description: 'edited', is_active: true });
    expect(unrelated.status).toBe(200);
    expect(unrelated.body.virtual_key.expires_at).toBe('2026-07-01T00:00:00.000Z');
    const past = await update(key.id, { expires_at: '2026-07-15T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toContain('future');
    const malformed = await update(key.id, { expires_at: 'not-a-timestamp' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('RFC3339');
    const offset = await update(key.id, { expires_at: '2026-09-01T12:00:00+05:30' });
    expect(offset.body.virtual_key.expires_at).toBe('2026-09-01T06:30:00.000Z');
    const cleared = await update(key.id, { expires_at: '' });
    expect(cleared.body.virtual_key.expires_at).toBeNull();
  });

  it('keeps an expiry when a key is deactivated and reactivated', async () => {
    const key = await create({ name: 'reactivated', expires_at: '2099-01-01T00:00:00Z' });
    await update(key.id, { is_active: false });
    const back = await update(key.id, { is_active: true });
    expect(back.body.virtual_key).toMatchObject({ is_active: true, expires_at: '2099-01-01T00:00:00.000Z' });
  });

  it('treats disable_content_logging as tri-state: omitted keeps, null inherits, false is stored', async () => {
    const key = await create({ name: 'logging', disable_content_logging: true });
    expect((await update(key.id, { description: 'x' })).body.virtual_key.disable_content_logging).toBe(true);
    expect(
      (await update(key.id, { disable_content_logging: false })).body.virtual_key.disable_content_logging,
    ).toBe(false);
    expect(
      (await update(key.id, { disable_content_logging: null })).body.virtual_key.disable_content_logging,
    ).toBeNull();
  });

  it('replaces the budgets, keeping the usage of a duration that stays', async () => {
    const key = await create({
      name: 'budgets',
      budgets: [
        { max_limit: 10, reset_duration: '1h' },
        { max_limit: 100, reset_duration: '1d' },
      ],
    });
    const hourly = key.budgets.find((budget: { reset_duration: string }) => budget.reset_duration === '1h');
    await store.budgets.update(hourly.id, { current_usage: 3 });
    const answer = await update(key.id, {
      budgets: [
        { max_limit: 20, reset_duration: '1h' },
        { max_limit: 500, reset_duration: '1M' },
      ],
    });
    expect(answer.status).toBe(200);
    const budgets = answer.body.virtual_key.budgets;
    expect(budgets.map((budget: { reset_duration: string }) => budget.reset_duration).sort()).toEqual([
      '1M',
      '1h',
    ]);
    expect(budgets.find((budget: { id: string }) => budget.id === hourly.id)).toMatchObject({
      max_limit: 20,
      current_usage: 3,
    });
    expect((await update(key.id, { budgets: [] })).body.virtual_key.budgets).toEqual([]);
  });

  it('changes, removes and adds a rate limit', async () => {
    const key = await create({
      name: 'limited',
      rate_limit: { request_max_limit: 5, request_reset_duration: '1m' },
    });
    const merged = await update(key.id, { rate_limit: { token_max_limit: 100, token_reset_duration: '1h' } });
    expect(merged.body.virtual_key.rate_limit).toMatchObject({
      id: key.rate_limit_id,
      request_max_limit: 5,
      token_max_limit: 100,
    });
    const removed = await update(key.id, { rate_limit: {} });
    expect(removed.body.virtual_key.rate_limit_id).toBeNull();
    expect(removed.body.virtual_key.rate_limit).toBeUndefined();
    expect(await store.rateLimits.get(key.rate_limit_id)).toBeUndefined();
    const added = await update(key.id, {
      rate_limit: { request_max_limit: 9, request_reset_duration: '1m' },
    });
    expect(added.body.virtual_key.rate_limit.request_max_limit).toBe(9);
  });

  it('updates provider configs with an id, creates those without, and deletes the rest', async () => {
    const key = await create({
      name: 'routed',
      provider_configs: [
        {
          provider: 'openai',
          weight: 1,
          allowed_models: ['gpt-4o'],
          budgets: [{ max_limit: 5, reset_duration: '1d' }],
        },
        { provider: 'gemini', weight: 1, rate_limit: { request_max_limit: 1, request_reset_duration: '1m' } },
      ],
    });
    const [openai, gemini] = key.provider_configs;
    const answer = await update(key.id, {
      provider_configs: [
        { id: openai.id, provider: 'openai', weight: 0.5, allowed_models: ['*'], budgets: [] },
        { provider: 'anthropic', weight: null, allowed_models: ['regex:claude-.*'] },
      ],
    });
    expect(answer.status).toBe(200);
    const configs = answer.body.virtual_key.provider_configs;
    expect(configs.map((config: { provider: string }) => config.provider)).toEqual(['openai', 'anthropic']);
    expect(configs[0]).toMatchObject({ id: openai.id, weight: 0.5, allowed_models: ['*'], budgets: [] });
    expect(configs[1]).toMatchObject({ weight: null, allowed_models: ['regex:claude-.*'] });
    expect(await store.rateLimits.get(gemini.rate_limit_id)).toBeUndefined();
    const foreign = await update(key.id, { provider_configs: [{ id: 999999, provider: 'openai' }] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toContain('provider_configs[0].id');
  });

  it('moves a key between a team and a customer, and refuses both at once', async () => {
    const team = await store.teams.create({ name: 'moving-team' });
    const customer = await store.customers.create({ name: 'moving-customer' });
    const key = await create({ name: 'owned', team_id: team.id });
    const moved = await update(key.id, { customer_id: customer.id });
    expect(moved.body.virtual_key).toMatchObject({
      team_id: null,
      customer_id: customer.id,
      customer: { name: 'moving-customer' },
    });
    // A body naming neither keeps the owner (upstream's old code detached it).
    expect((await update(key.id, { description: 'kept' })).body.virtual_key.customer_id).toBe(customer.id);
    const both = await update(key.id, { team_id: team.id, customer_id: customer.id });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toBe('VirtualKey cannot be attached to both Team and Customer');
    expect((await update(key.id, { customer_id: '' })).body.virtual_key.customer_id).toBeNull();
  });

  it('refuses a taken name, unknown fields and malformed JSON with 400', async () => {
    await create({ name: 'first-name' });
    const second = await create({ name: 'second-name' });
    expect((await update(second.id, { name: 'first-name' })).body.error.message).toBe(
      'name is already taken',
    );
    expect((await update(second.id, { value: 'sk-bf-mine' })).body.error.message).toContain(
      'Unknown field "value"',
    );
    expect((await update(second.id, '{')).status).toBe(400);
  });
});
