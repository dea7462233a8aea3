// The plugin over Redis counters: several gateway instances share limits exactly, and a Redis outage is the
// fail mode the config names.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedisServer, type RedisServer, startRedisServer } from '../../../tests/support/redis-server.js';
import { governancePlugin } from './create-governance-plugin.js';
import type { GovernancePlugin } from './governance-plugin.js';
import { chatRequest, chatResponse, testContext, testGateway } from './testing/plugin-harness.js';

const governance = {
  budgets: [],
  customers: [],
  teams: [],
  model_configs: [],
  providers: [],
  rate_limits: [{ id: 'rl', request_max_limit: 5, request_reset_duration: '1h' }],
  virtual_keys: [
    {
      id: 'vk',
      name: 'shared',
      value: 'sk-bf-shared',
      is_active: true,
      rate_limit_id: 'rl',
      provider_configs: [{ provider: 'openai', weight: 1, allowed_models: ['*'], key_ids: ['*'] }],
    },
  ],
};

async function instance(counters: unknown): Promise<GovernancePlugin> {
  const plugin = await governancePlugin({ governance, counters });
  plugin.setup(testGateway);
  return plugin;
}

describe.skipIf(!hasRedisServer())('GovernancePlugin on Redis counters', () => {
  let server: RedisServer;
  const plugins: GovernancePlugin[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(plugins.map((plugin) => plugin.cleanup()));
    await server?.stop();
  });

  it('admits exactly the request limit across two instances answering concurrently', async () => {
    const counters = { type: 'redis', url: server.url, key_prefix: `t:${randomBytes(4).toString('hex')}:` };
    const both = [await instance(counters), await instance(counters)];
    plugins.push(...both);
    const attempts = Array.from({ length: 20 }, async (_, index) => {
      const plugin = both[index % 2] as GovernancePlugin;
      const context = testContext({ virtualKey: 'sk-bf-shared' });
      const pre = await plugin.preHook(context, chatRequest());
      if (pre?.shortCircuit !== undefined) return pre.shortCircuit;
      await plugin.postHook(context, { response: chatResponse(1, 1) });
      return undefined;
    });
    const refusals = (await Promise.all(attempts)).filter((refusal) => refusal !== undefined);
    expect(refusals).toHaveLength(15);
    expect(refusals[0]).toMatchObject({ error: { type: 'request_limited', status_code: 429 } });
  });

  it('starts Redis from the usage the config (or store) kept, once across instances', async () => {
    const spent = {
      ...governance,
      budgets: [{ id: 'b', max_limit: 1, reset_duration: '1d', current_usage: 1 }],
      virtual_keys: [{ ...governance.virtual_keys[0], rate_limit_id: undefined, budget_id: 'b' }],
    };
    const counters = { type: 'redis', url: server.url, key_prefix: `t:${randomBytes(4).toString('hex')}:` };
    const both = await Promise.all(
      [0, 1].map(async () => {
        const plugin = await governancePlugin({ governance: spent, counters });
        plugin.setup(testGateway);
        plugins.push(plugin);
        return plugin;
      }),
    );
    const pre = await both[1]?.preHook(testContext({ virtualKey: 'sk-bf-shared' }), chatRequest());
    expect(pre?.shortCircuit).toMatchObject({
      error: {
        type: 'budget_exceeded',
        error: { message: 'Budget exceeded: VK budget exceeded: 1.0 >= 1.0 dollars' },
      },
    });
  });

  it('refuses with 503 while Redis is unreachable and the fail mode is closed', async () => {
    const plugin = await instance({ type: 'redis', url: 'redis://127.0.0.1:1', fail_mode: 'closed' });
    plugins.push(plugin);
    const pre = await plugin.preHook(testContext({ virtualKey: 'sk-bf-shared' }), chatRequest());
    expect(pre?.shortCircuit).toMatchObject({
      error: { type: 'governance_unavailable', status_code: 503 },
      headers: { 'retry-after': '1' },
    });
  });

  it('admits on local counts while Redis is unreachable and the fail mode is open', async () => {
    const plugin = await instance({ type: 'redis', url: 'redis://127.0.0.1:1', fail_mode: 'open' });
    plugins.push(plugin);
    const pre = await plugin.preHook(testContext({ virtualKey: 'sk-bf-shared' }), chatRequest());
    expect(pre?.shortCircuit).toBeUndefined();
  });
});
