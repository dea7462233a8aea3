import { useStoreBackends } from '@bifrost/store/testing';
import { describe, expect, it } from 'vitest';
import { managementTestClient } from './management-test-client.js';

// The other suites run on embedded PGlite only; this one walks a key's whole life on both back ends, a real
// Postgres included, so the SQL the routes lean on (offset search, ILIKE, transactions) is proven on each.
describe.each(useStoreBackends())('the management API on $name', (backend) => {
  it('creates, lists, updates, reads the quota of, overrides and deletes a key', async () => {
    const store = await backend.open();
    const { call } = managementTestClient(store);
    const customer = (await call('POST', '/api/governance/customers', { name: 'Acme 100%' })).body.customer;
    const team = (
      await call('POST', '/api/governance/teams', {
        name: 'Platform',
        customer_id: customer.id,
        budget: { max_limit: 50, reset_duration: '1M' },
      })
    ).body.team;
    const created = await call('POST', '/api/governance/virtual-keys', {
      name: 'lifecycle',
      team_id: team.id,
      budgets: [{ max_limit: 10, reset_duration: '1d' }],
      rate_limit: { request_max_limit: 5, request_reset_duration: '1m' },
      provider_configs: [{ provider: 'openai', weight: 1, allowed_models: ['*'] }],
    });
    expect(created.status).toBe(200);
    const key = created.body.virtual_key;

    expect((await call('GET', '/api/governance/customers?search=100%25')).body.total_count).toBe(1);
    expect((await call('GET', `/api/governance/virtual-keys?team_id=${team.id}&limit=1`)).body).toMatchObject(
      {
        count: 1,
        total_count: 1,
      },
    );

    const updated = await call('PUT', `/api/governance/virtual-keys/${key.id}`, {
      budgets: [{ max_limit: 20, reset_duration: '1d' }],
      provider_configs: [
        { id: key.provider_configs[0].id, provider: 'openai', weight: 2 },
        { provider: 'anthropic', allowed_models: ['regex:claude-.*'] },
      ],
    });
    expect(updated.body.virtual_key.budgets).toMatchObject([{ id: key.budgets[0].id, max_limit: 20 }]);
    expect(updated.body.virtual_key.provider_configs).toHaveLength(2);

    const quota = await call('GET', '/api/governance/virtual-keys/quota', undefined, {
      authorization: `Bearer ${key.value}`,
    });
    expect(quota.body.budgets).toMatchObject([{ max_limit: 20 }, { max_limit: 50, source_name: 'Platform' }]);

    const override = await call(
      'PUT',
      `/api/governance/virtual-keys/${key.id}/budgets/${key.budgets[0].id}/override`,
      {
        amount: 5,
        mode: 'forever',
      },
    );
    expect(override.body.effective_max_limit).toBe(25);

    expect((await call('DELETE', `/api/governance/virtual-keys/${key.id}`)).status).toBe(200);
    expect((await store.rateLimits.search()).total).toBe(0);
    expect((await call('DELETE', `/api/governance/customers/${customer.id}`)).status).toBe(200);
    expect((await call('GET', `/api/governance/teams/${team.id}`)).body.team.customer_id).toBeNull();
  });
});
