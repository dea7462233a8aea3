import type { Store } from '@bifrost/store';
import { useStoreBackends } from '@bifrost/store/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { envelopeKeys, managementTestClient } from './management-test-client.js';

const [embedded] = useStoreBackends();

describe('team and customer routes', () => {
  let store: Store;
  let client: ReturnType<typeof managementTestClient>;
  beforeAll(async () => {
    store = await embedded!.open();
    client = managementTestClient(store);
  });

  it('creates a customer with a budget and rate limit, ignoring email', async () => {
    const answer = await client.call('POST', '/api/governance/customers', {
      name: 'Acme',
      email: 'ops@acme.test',
      budget: { max_limit: 100, reset_duration: '1M' },
      rate_limit: { request_max_limit: 50, request_reset_duration: '1h' },
      calendar_aligned: true,
    });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['customer', 'message']);
    expect(answer.body.message).toBe('Customer created successfully');
    const customer = answer.body.customer;
    expect(customer).toMatchObject({
      name: 'Acme',
      calendar_aligned: true,
      budget: { max_limit: 100, reset_duration: '1M', current_usage: 0 },
      budgets: [{ max_limit: 100 }],
      rate_limit: { request_max_limit: 50 },
    });
    expect(customer.email).toBeUndefined();
    expect(customer.budget_id).toBe(customer.budget.id);
  });

  it('creates a team under a customer from a budgets list, and nests the customer', async () => {
    const { body: created } = await client.call('POST', '/api/governance/customers', { name: 'Parent' });
    const answer = await client.call('POST', '/api/governance/teams', {
      name: 'Platform',
      customer_id: created.customer.id,
      budgets: [{ max_limit: 25, reset_duration: '1d' }],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.team).toMatchObject({
      name: 'Platform',
      customer_id: created.customer.id,
      customer: { name: 'Parent' },
      budget: { max_limit: 25 },
    });
    const read = await client.call('GET', `/api/governance/teams/${answer.body.team.id}`);
    expect(Object.keys(read.body)).toEqual(['team']);
    expect(read.body.team.budget.max_limit).toBe(25);
  });

  it('updates a team: renames, changes the budget in place, removes the rate limit, detaches the customer', async () => {
    const { body: customer } = await client.call('POST', '/api/governance/customers', { name: 'Holder' });
    const { body } = await client.call('POST', '/api/governance/teams', {
      name: 'Editable',
      customer_id: customer.customer.id,
      budget: { max_limit: 5, reset_duration: '1h' },
      rate_limit: { token_max_limit: 10, token_reset_duration: '1m' },
    });
    const team = body.team;
    const answer = await client.call('PUT', `/api/governance/teams/${team.id}`, {
      name: 'Edited',
      budget: { max_limit: 50 },
      rate_limit: {},
      customer_id: '',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.message).toBe('Team updated successfully');
    expect(answer.body.team).toMatchObject({ name: 'Edited', customer_id: null, rate_limit_id: null });
    expect(answer.body.team.budget).toMatchObject({
      id: team.budget.id,
      max_limit: 50,
      reset_duration: '1h',
    });
    expect(await store.rateLimits.get(team.rate_limit.id)).toBeUndefined();
    const removed = await client.call('PUT', `/api/governance/teams/${team.id}`, { budget: {} });
    expect(removed.body.team).toMatchObject({ budget_id: null, budgets: [] });
    const half = await client.call('PUT', `/api/governance/teams/${team.id}`, { budget: { max_limit: 1 } });
    expect(half.status).toBe(400);
    expect(half.body.error.message).toContain('both max_limit and reset_duration');
  });

  it('deletes a customer with its budget, leaving its teams without a customer', async () => {
    const { body } = await client.call('POST', '/api/governance/customers', {
      name: 'Leaving',
      budget: { max_limit: 1, reset_duration: '1d' },
    });
    const { body: team } = await client.call('POST', '/api/governance/teams', {
      name: 'Orphan',
      customer_id: body.customer.id,
    });
    const deleted = await client.call('DELETE', `/api/governance/customers/${body.customer.id}`);
    expect(deleted.body.message).toContain('deleted');
    expect(await store.budgets.get(body.customer.budget_id)).toBeUndefined();
    expect((await store.teams.get(team.team.id))?.customer_id).toBeNull();
    const again = await client.call('DELETE', `/api/governance/customers/${body.customer.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.message).toBe('Customer not found');
  });

  it('lists with paging, search and the customer filter', async () => {
    const { body: owner } = await client.call('POST', '/api/governance/customers', { name: 'Lister' });
    for (const name of ['list-a', 'list-b', 'list-c']) {
      await client.call('POST', '/api/governance/teams', { name, customer_id: owner.customer.id });
    }
    const all = await client.call('GET', '/api/governance/teams');
    expect(Object.keys(all.body).sort()).toEqual(['count', 'limit', 'offset', 'teams', 'total_count']);
    expect(all.body.limit).toBe(all.body.count);
    const page = await client.call('GET', '/api/governance/teams?search=list-&limit=2&offset=1');
    expect(page.body).toMatchObject({
      count: 2,
      total_count: 3,
      limit: 2,
      offset: 1,
      teams: [{ name: 'list-b' }, { name: 'list-c' }],
    });
    const owned = await client.call('GET', `/api/governance/teams?customer_id=${owner.customer.id}`);
    expect(owned.body.total_count).toBe(3);
    const customers = await client.call('GET', '/api/governance/customers?limit=1');
    expect(customers.body).toMatchObject({ count: 1, limit: 1, offset: 0 });
    expect(customers.body.total_count).toBeGreaterThan(1);
    expect((await client.call('GET', '/api/governance/customers?offset=-2')).status).toBe(400);
  });

  it.each<[string, string, unknown, string]>([
    ['a team without a name', '/api/governance/teams', {}, 'Team name is required'],
    ['a customer without a name', '/api/governance/customers', { email: 'x' }, 'Customer name is required'],
    ['an unknown field', '/api/governance/teams', { name: 't', owner: 'x' }, 'Unknown field "owner"'],
    ['an unknown customer', '/api/governance/teams', { name: 't', customer_id: 'nope' }, 'customer_id'],
    [
      'a bad budget duration',
      '/api/governance/customers',
      { name: 'c', budget: { max_limit: 1, reset_duration: 'soon' } },
      'budget.reset_duration',
    ],
    [
      'two budgets',
      '/api/governance/teams',
      {
        name: 't',
        budgets: [
          { max_limit: 1, reset_duration: '1h' },
          { max_limit: 2, reset_duration: '1d' },
        ],
      },
      'budgets',
    ],
    [
      'a negative rate limit',
      '/api/governance/customers',
      { name: 'c', rate_limit: { request_max_limit: -3, request_reset_duration: '1m' } },
      'request_max_limit must be greater than 0',
    ],
  ])('refuses %s with a 400 envelope', async (_case, path, body, message) => {
    const answer = await client.call('POST', path, body);
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body).sort()).toEqual(envelopeKeys);
    expect(answer.body.error.message).toContain(message);
  });

  it('shows live counts only with from_memory=true', async () => {
    const live = managementTestClient(store, { liveUsage: async () => ({ current_usage: 42 }) });
    const { body } = await live.call('POST', '/api/governance/teams', {
      name: 'Live team',
      budget: { max_limit: 100, reset_duration: '1d' },
    });
    const path = `/api/governance/teams/${body.team.id}`;
    expect((await live.call('GET', path)).body.team.budget.current_usage).toBe(0);
    expect((await live.call('GET', `${path}?from_memory=true`)).body.team.budget.current_usage).toBe(42);
    const listed = await live.call('GET', '/api/governance/teams?search=Live&from_memory=true');
    expect(listed.body.teams[0].budget.current_usage).toBe(42);
  });

  it('answers unknown ids with 404', async () => {
    expect((await client.call('GET', '/api/governance/teams/nope')).body.error.message).toBe(
      'Team not found',
    );
    expect((await client.call('PUT', '/api/governance/customers/nope', { name: 'x' })).status).toBe(404);
  });
});
