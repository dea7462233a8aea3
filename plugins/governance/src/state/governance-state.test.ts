import { governanceConfigSchema } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { governanceRows, virtualKeyRow } from '../testing/governance-rows-builder.js';
import { buildSnapshot } from './build-snapshot.js';
import { configGovernanceRows } from './config-governance-rows.js';
import type { GovernanceRows } from './governance-rows.js';
import { GovernanceState } from './governance-state.js';

function stateOver(rows: { current: GovernanceRows }, known: Set<string>, clock = { now: 0 }) {
  let lookups = 0;
  const state = new GovernanceState({
    loadRows: async () => rows.current,
    hasKey: async (value) => {
      lookups++;
      return known.has(value);
    },
    syncIntervalMs: 0,
    missLookupsPerSecond: 3,
    negativeCacheMs: 1000,
    clock: () => clock.now,
  });
  return { state, lookups: () => lookups };
}

describe('GovernanceState', () => {
  it('finds a key made elsewhere since the last load by reloading once', async () => {
    const rows = { current: governanceRows({}) };
    const { state, lookups } = stateOver(rows, new Set(['sk-bf-new']));
    await state.start();
    rows.current = governanceRows({ virtualKeys: [virtualKeyRow({ id: 'new' })] });
    expect((await state.resolveMiss('sk-bf-new'))?.id).toBe('new');
    expect(state.snapshot.virtualKeys.has('sk-bf-new')).toBe(true);
    expect(lookups()).toBe(1);
  });

  it('serves a burst of requests with one new key from one lookup, past the lookups-per-second bound', async () => {
    const rows = { current: governanceRows({}) };
    const { state, lookups } = stateOver(rows, new Set(['sk-bf-burst']));
    await state.start();
    rows.current = governanceRows({ virtualKeys: [virtualKeyRow({ id: 'burst' })] });
    const found = await Promise.all(Array.from({ length: 25 }, () => state.resolveMiss('sk-bf-burst')));
    expect(found.map((key) => key?.id)).toEqual(Array(25).fill('burst'));
    expect(lookups()).toBe(1);
  });

  it('remembers an unknown key for a while, and bounds lookups per second', async () => {
    const clock = { now: 0 };
    const { state, lookups } = stateOver({ current: governanceRows({}) }, new Set(), clock);
    await state.start();
    await state.resolveMiss('sk-bf-x');
    await state.resolveMiss('sk-bf-x');
    expect(lookups()).toBe(1);
    for (const value of ['sk-bf-a', 'sk-bf-b', 'sk-bf-c', 'sk-bf-d']) await state.resolveMiss(value);
    expect(lookups()).toBe(3);
    clock.now = 1500;
    await state.resolveMiss('sk-bf-x');
    expect(lookups()).toBe(4);
  });

  it('keeps the previous snapshot when a reload fails', async () => {
    let fail = false;
    const state = new GovernanceState({
      loadRows: async () => {
        if (fail) throw new Error('store down');
        return governanceRows({ virtualKeys: [virtualKeyRow({ id: 'kept' })] });
      },
      syncIntervalMs: 0,
    });
    await state.start();
    fail = true;
    await expect(state.reload()).rejects.toThrow('store down');
    expect(state.snapshot.virtualKeys.has('sk-bf-kept')).toBe(true);
  });
});

describe('configGovernanceRows', () => {
  const config = governanceConfigSchema.parse({
    budgets: [{ id: 'shared', max_limit: 10, reset_duration: '1d' }],
    customers: [{ id: 'c', name: 'acme', budgets: [{ max_limit: 100, reset_duration: '1M' }] }],
    virtual_keys: [
      {
        id: 'k',
        name: 'key',
        value: 'env.GOVERNANCE_TEST_KEY',
        customer_id: 'c',
        budget_id: 'shared',
        provider_configs: [
          { provider: 'openai', weight: 2, budgets: [{ max_limit: 1, reset_duration: '1h' }] },
        ],
      },
    ],
  });

  it('owns budgets by whoever names them, and gives inline budgets stable ids', () => {
    process.env.GOVERNANCE_TEST_KEY = 'sk-bf-from-env';
    const rows = configGovernanceRows(config, new Date(0));
    expect(rows.virtualKeys[0]?.value).toBe('sk-bf-from-env');
    expect(
      rows.budgets.map((budget) => [budget.id, budget.virtual_key_id, budget.provider_config_key]),
    ).toEqual([
      ['shared', 'k', undefined],
      ['k/openai:budget:1h', null, 'k/openai'],
      ['c:budget:1M', null, undefined],
    ]);
    expect(rows.customers[0]?.budget_id).toBe('c:budget:1M');
  });

  it('builds a snapshot in which each budget applies at its tier', () => {
    const snapshot = buildSnapshot(configGovernanceRows(config, new Date(0)));
    const key = snapshot.virtualKeys.get('sk-bf-from-env');
    expect(key?.limits?.counters.map((counter) => counter.id)).toEqual(['shared']);
    expect(key?.customer?.counters.map((counter) => counter.id)).toEqual(['c:budget:1M']);
    expect(key?.providerConfigs.get('openai')?.limits?.counters.map((counter) => counter.limit)).toEqual([1]);
  });
});
