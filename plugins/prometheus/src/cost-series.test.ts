import type { PluginContext } from '@bifrost/schemas';
import { pluginValueKeys } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { prometheusPlugin } from './prometheus-plugin.js';

/** A finished request's context, with the values governance leaves: its cost and, optionally, the key's id. */
function pricedContext(cost: unknown, virtualKeyId?: string, model = 'gpt-4o-mini'): PluginContext {
  const values = new Map<string, unknown>([[pluginValueKeys.cost, cost]]);
  if (virtualKeyId !== undefined) values.set(pluginValueKeys.virtualKeyId, virtualKeyId);
  return {
    requestId: 'request-1',
    requestType: 'chat_completion',
    provider: 'openai',
    model,
    fallbackIndex: 0,
    headers: {},
    values,
    signal: new AbortController().signal,
    startedAt: performance.now(),
  };
}

const failed = {
  error: { is_bifrost_error: false, status_code: 500, error: { message: 'boom' }, extra_fields: {} },
};

async function costSamples(plugin: ReturnType<typeof prometheusPlugin>): Promise<string[]> {
  return (await plugin.metrics())
    .split('\n')
    .filter(
      (line) => line.startsWith('bifrost_cost_total') || line.startsWith('bifrost_metrics_series_overflow'),
    );
}

describe('bifrost_cost_total', () => {
  it("adds each answer's cost by provider, model and virtual key id", async () => {
    const plugin = prometheusPlugin();
    plugin.postHook!(pricedContext(0.25, 'vk-1'), failed);
    plugin.postHook!(pricedContext(0.5, 'vk-1'), failed);
    plugin.postHook!(pricedContext(0.125), failed);

    expect(await costSamples(plugin)).toEqual([
      'bifrost_cost_total{provider="openai",model="gpt-4o-mini",virtual_key="vk-1"} 0.75',
      'bifrost_cost_total{provider="openai",model="gpt-4o-mini",virtual_key=""} 0.125',
    ]);
  });

  it('records nothing for a request without a cost', async () => {
    const plugin = prometheusPlugin();
    plugin.postHook!(pricedContext(undefined, 'vk-1'), failed);
    plugin.postHook!(pricedContext(0, 'vk-1'), failed);
    plugin.postHook!(pricedContext('0.3', 'vk-1'), failed);

    expect(await costSamples(plugin)).toEqual([]);
  });

  it('folds label sets past max_series_per_metric into the overflow series', async () => {
    const plugin = prometheusPlugin({ max_series_per_metric: 1 });
    plugin.postHook!(pricedContext(1, 'vk-1'), failed);
    plugin.postHook!(pricedContext(2, 'vk-2'), failed);
    plugin.postHook!(pricedContext(3, 'vk-3', 'gpt-4o'), failed);

    const samples = await costSamples(plugin);
    expect(samples).toContain(
      'bifrost_cost_total{provider="openai",model="gpt-4o-mini",virtual_key="vk-1"} 1',
    );
    expect(samples).toContain('bifrost_cost_total{provider="other",model="other",virtual_key="other"} 5');
    expect(samples).toContain('bifrost_metrics_series_overflow_total{metric="bifrost_cost_total"} 2');
  });

  it('bounds the virtual key values to max_label_values', async () => {
    const plugin = prometheusPlugin({ max_label_values: 1 });
    plugin.postHook!(pricedContext(1, 'vk-1'), failed);
    plugin.postHook!(pricedContext(2, 'vk-2'), failed);

    expect(await costSamples(plugin)).toEqual([
      'bifrost_cost_total{provider="openai",model="gpt-4o-mini",virtual_key="vk-1"} 1',
      'bifrost_cost_total{provider="openai",model="gpt-4o-mini",virtual_key="other"} 2',
    ]);
  });
});
