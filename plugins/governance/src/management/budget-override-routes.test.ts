import type { Store } from '@bifrost/store';
import { useStoreBackends } from '@bifrost/store/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { managementTestClient } from './management-test-client.js';

const [embedded] = useStoreBackends();

describe('budget override routes', () => {
  let store: Store;
  let client: ReturnType<typeof managementTestClient>;
  let keyId: string;
  let budgetId: string;
  let providerBudgetId: string;
  beforeAll(async () => {
    store = await embedded!.open();
    client = managementTestClient(store);
    const { body } = await client.call('POST', '/api/governance/virtual-keys', {
      name: 'overridden',
      budgets: [{ max_limit: 10, reset_duration: '1d' }],
      provider_configs: [{ provider: 'openai', budgets: [{ max_limit: 2, reset_duration: '1h' }] }],
    });
    keyId = body.virtual_key.id;
    budgetId = body.virtual_key.budgets[0].id;
    providerBudgetId = body.virtual_key.provider_configs[0].budgets[0].id;
  });
  const path = (budget: string, key = keyId) =>
    `/api/governance/virtual-keys/${key}/budgets/${budget}/override`;

  it('raises the cap for ever and clears it again', async () => {
    const set = await client.call('PUT', path(budgetId), { amount: 7.5, mode: 'forever' });
    expect(set.status).toBe(200);
    expect(Object.keys(set.body).sort()).toEqual(['budget', 'effective_max_limit']);
    expect(set.body).toMatchObject({
      budget: { id: budgetId, override_amount: 7.5, override_mode: 'forever', override_cycles: null },
      effective_max_limit: 17.5,
    });
    const cleared = await client.call('DELETE', path(budgetId));
    expect(cleared.body).toMatchObject({
      budget: { override_amount: null, override_mode: null },
      effective_max_limit: 10,
    });
  });

  it("overrides a provider config's budget for a number of cycles", async () => {
    const set = await client.call('PUT', path(providerBudgetId), { amount: 1, mode: 'cycles', cycles: 3 });
    expect(set.body).toMatchObject({
      budget: { override_mode: 'cycles', override_cycles: 3 },
      effective_max_limit: 3,
    });
  });

  it.each<[unknown, string]>([
    [{ amount: 0, mode: 'forever' }, 'amount must be greater than 0'],
    [{ amount: 1, mode: 'cycles' }, 'cycles is required in cycles mode'],
    [{ amount: 1, mode: 'forever', cycles: 2 }, 'cycles is not allowed in forever mode'],
    [{ amount: 1, mode: 'sometimes' }, 'mode'],
  ])('refuses %j with 400', async (body, message) => {
    const answer = await client.call('PUT', path(budgetId), body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toContain(message);
  });

  it('answers 404 for an unknown key and for a budget the key does not own', async () => {
    const other = await store.budgets.create({ max_limit: 1, reset_duration: '1h' });
    expect((await client.call('DELETE', path(budgetId, 'nope'))).body.error.message).toBe(
      'Virtual key not found',
    );
    const foreign = await client.call('PUT', path(other.id), { amount: 1, mode: 'forever' });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toBe('Budget not found');
  });
});
