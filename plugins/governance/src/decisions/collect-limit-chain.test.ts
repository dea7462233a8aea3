import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../state/build-snapshot.js';
import {
  budgetRow,
  governanceRows,
  providerConfigRow,
  rateLimitRow,
  virtualKeyRow,
} from '../testing/governance-rows-builder.js';
import { collectLimitChain } from './collect-limit-chain.js';

const limit = (id: string) => rateLimitRow({ id, request_max_limit: 5, request_reset_duration: '1m' });
const budget = (id: string) => budgetRow({ id, max_limit: 10 });

// Every tier carries a limit, so the chain shows upstream's order end to end.
const rows = governanceRows({
  virtualKeys: [virtualKeyRow({ id: 'vk', value: 'sk-bf-vk', team_id: 'team', rate_limit_id: 'vk-rl' })],
  providerConfigs: [
    providerConfigRow({ virtual_key_id: 'vk', provider: 'openai', id: 7, rate_limit_id: 'pc-rl' }),
  ],
  budgets: [
    { ...budget('vk-b'), virtual_key_id: 'vk' },
    { ...budget('pc-b'), provider_config_id: 7 },
    budget('team-b'),
    budget('customer-b'),
    budget('provider-b'),
  ],
  rateLimits: ['vk-rl', 'pc-rl', 'model-rl', 'scoped-rl', 'star-rl'].map(limit),
  teams: [
    {
      id: 'team',
      name: 'team',
      customer_id: 'customer',
      budget_id: 'team-b',
      rate_limit_id: null,
      calendar_aligned: false,
    },
  ],
  customers: [
    { id: 'customer', name: 'c', budget_id: 'customer-b', rate_limit_id: null, calendar_aligned: true },
  ],
  providers: [{ name: 'openai', budget_id: 'provider-b', rate_limit_id: null, calendar_aligned: false }],
  modelConfigs: [
    {
      id: 'm1',
      model_name: 'gpt-4o',
      provider: null,
      scope: 'global',
      scope_id: null,
      budget_id: null,
      rate_limit_id: 'model-rl',
    },
    {
      id: 'm2',
      model_name: '*',
      provider: 'openai',
      scope: 'global',
      scope_id: null,
      budget_id: null,
      rate_limit_id: 'star-rl',
    },
    {
      id: 'm3',
      model_name: 'gpt-4o',
      provider: null,
      scope: 'virtual_key',
      scope_id: 'vk',
      budget_id: null,
      rate_limit_id: 'scoped-rl',
    },
  ],
});

describe('collectLimitChain', () => {
  const snapshot = buildSnapshot(rows);
  const key = snapshot.virtualKeys.get('sk-bf-vk');

  it('orders limits as upstream checks them: provider, model configs, provider config, key, key model configs, customer, team', () => {
    const chain = collectLimitChain(snapshot, key, 'openai', 'gpt-4o');
    expect(chain.counters.map((counter) => counter.id)).toEqual([
      'provider-b',
      'model-rl',
      'star-rl',
      'pc-rl',
      'pc-b',
      'vk-rl',
      'vk-b',
      'scoped-rl',
      'customer-b',
      'team-b',
    ]);
    expect(chain.owners.map((owner) => owner.label)).toEqual([
      'openai',
      'Model:gpt-4o',
      'Model:*:Provider:openai',
      'openai',
      'openai',
      'VK',
      'VK',
      'vk_model_config gpt-4o',
      'Customer',
      'Team',
    ]);
    expect(chain.hasBudgets).toBe(true);
  });

  it('keeps only the deployment limits without a key, and none for another provider', () => {
    expect(collectLimitChain(snapshot, undefined, 'openai', 'o1').counters.map((c) => c.id)).toEqual([
      'provider-b',
      'star-rl',
    ]);
    expect(collectLimitChain(snapshot, undefined, 'anthropic', 'claude').counters).toEqual([]);
  });

  it('windows the customer calendar-aligned, as its owner says, and the key rolling from creation', () => {
    const chain = collectLimitChain(snapshot, key, 'openai', 'gpt-4o');
    const byId = new Map(chain.counters.map((counter) => [counter.id, counter]));
    expect(byId.get('customer-b')?.window.mode).toBe('calendar');
    expect(byId.get('vk-b')?.window).toMatchObject({
      mode: 'rolling',
      anchor: Date.parse('2026-01-01T00:00:00Z'),
    });
  });
});
