import type { GovernanceConfigInput } from '@bifrost/schemas';
import { governanceConfigSchema } from '@bifrost/schemas';
import type { Store } from '@bifrost/store';
import { useStoreBackends } from '@bifrost/store/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { governancePlugin } from './create-governance-plugin.js';
import type { GovernancePlugin } from './governance-plugin.js';
import { chatResponse, runAttempt, testContext, testGateway } from './testing/plugin-harness.js';

const governance = (input: GovernanceConfigInput) => governanceConfigSchema.parse(input);

const oneRequestKey = governance({
  rate_limits: [{ id: 'rl-1', request_max_limit: 1, request_reset_duration: '1h' }],
  budgets: [{ id: 'budget-1', max_limit: 0.000001, reset_duration: '1d' }],
  virtual_keys: [
    {
      id: 'vk-1',
      name: 'one-request',
      value: 'sk-bf-one',
      rate_limit_id: 'rl-1',
      provider_configs: [{ provider: 'openai', weight: 1, allowed_models: ['*'] }],
    },
    {
      id: 'vk-2',
      name: 'tiny-budget',
      value: 'sk-bf-budget',
      budget_id: 'budget-1',
      provider_configs: [{ provider: 'openai', weight: 1, allowed_models: ['*'] }],
    },
  ],
});

async function refusalFor(plugin: GovernancePlugin, virtualKey: string) {
  // A model the bundled price data knows, so that spend is counted.
  const model = 'gpt-4o-mini';
  return (await runAttempt(plugin, testContext({ virtualKey, model }), chatResponse(10, 10, model))).refusal;
}

async function ready(config: unknown): Promise<GovernancePlugin> {
  const plugin = await governancePlugin(config);
  plugin.setup(testGateway);
  return plugin;
}

describe('governancePlugin', () => {
  it('names the field at fault in a bad config', async () => {
    await expect(governancePlugin({ counters: { type: 'redis' } })).rejects.toThrow(/counters\.url/);
    await expect(governancePlugin({ enforce_auth_on_inference: 'yes' })).rejects.toThrow(
      /enforce_auth_on_inference/,
    );
    await expect(governancePlugin({ store: {} })).rejects.toThrow(
      /store: expected an opened @bifrost\/store/,
    );
  });

  it('decides on the config file alone when there is no store', async () => {
    const plugin = await ready({ governance: oneRequestKey });
    expect(await refusalFor(plugin, 'sk-bf-one')).toBeUndefined();
    expect(await refusalFor(plugin, 'sk-bf-one')).toMatchObject({ error: { type: 'request_limited' } });
    expect(plugin.httpRoutes).toBeUndefined();
    await plugin.cleanup();
  });

  it('starts with enforcement off and no limits on an empty config', async () => {
    const plugin = await ready(undefined);
    expect((await runAttempt(plugin, testContext(), chatResponse(1, 1))).refusal).toBeUndefined();
    await plugin.cleanup();
  });
});

const embedded = useStoreBackends().find((backend) => backend.name === 'embedded');

describe.skipIf(embedded === undefined)('governancePlugin on an embedded store', () => {
  let store: Store;
  beforeAll(async () => {
    store = await (embedded as NonNullable<typeof embedded>).open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('seeds the config into the store, keeps spend across a restart, and serves the management API', async () => {
    const first = await ready({ governance: oneRequestKey, store, sync_interval: 0 });
    expect(first.httpRoutes?.length).toBeGreaterThan(0);
    expect((await store.virtualKeys.get('vk-1'))?.value).toBe('sk-bf-one');
    expect(await refusalFor(first, 'sk-bf-budget')).toBeUndefined();
    await first.cleanup();
    expect((await store.budgets.get('budget-1'))?.current_usage).toBeGreaterThan(0);

    const second = await ready({ governance: oneRequestKey, store, sync_interval: 0 });
    expect(await refusalFor(second, 'sk-bf-budget')).toMatchObject({ error: { type: 'budget_exceeded' } });
    await second.cleanup();
  });

  it('keeps provider limits from the config in a limits-only row, and enforces them without a key', async () => {
    const config = governance({
      rate_limits: [{ id: 'openai-rl', request_max_limit: 1, request_reset_duration: '1h' }],
      providers: [{ name: 'openai', rate_limit_id: 'openai-rl' }],
    });
    const plugin = await ready({ governance: config, store, sync_interval: 0 });
    expect(await store.db.selectFrom('providers').select(['name', 'governance_only']).execute()).toEqual([
      { name: 'openai', governance_only: true },
    ]);
    const attempt = () => runAttempt(plugin, testContext(), chatResponse(1, 1));
    expect((await attempt()).refusal).toBeUndefined();
    expect((await attempt()).refusal).toMatchObject({ error: { type: 'request_limited' } });
    await plugin.cleanup();
    await store.db.deleteFrom('providers').execute();
  });

  it('finds a key another instance created since the last reload', async () => {
    const plugin = await ready({ store, sync_interval: 0 });
    expect(await refusalFor(plugin, 'sk-bf-later')).toMatchObject({ error: { type: 'access_not_found' } });
    const key = await store.virtualKeys.create({ name: 'later', value: 'sk-bf-later2' });
    await store.virtualKeyProviderConfigs.create({
      virtual_key_id: key.id,
      provider: 'openai',
      allowed_models: ['*'],
    });
    expect(await refusalFor(plugin, 'sk-bf-later2')).toBeUndefined();
    await plugin.cleanup();
  });

  it('looks up a key it cannot route yet, and routes its next bare model', async () => {
    const plugin = await ready({ store, sync_interval: 0 });
    const key = await store.virtualKeys.create({ name: 'routed-later', value: 'sk-bf-routed' });
    await store.virtualKeyProviderConfigs.create({
      virtual_key_id: key.id,
      provider: 'openai',
      weight: 1,
      allowed_models: ['*'],
    });
    const input = { virtualKey: 'sk-bf-routed', requestType: 'chat_completion' as const };
    expect(plugin.routeModel('gpt-4o', input)).toBeUndefined();
    await vi.waitFor(() =>
      expect(plugin.routeModel('gpt-4o', input)).toEqual([{ provider: 'openai', model: 'gpt-4o' }]),
    );
    await plugin.cleanup();
  });
});
