import type { ConfigFile, PluginEntry } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './parse-config.js';
import { governancePluginConfig, withGovernanceEntry } from './with-governance-entry.js';

const prometheus: PluginEntry = { name: 'prometheus', enabled: true, config: undefined };

function configOf(document: Record<string, unknown>): ConfigFile {
  return parseConfig({ providers: {}, ...document }, { env: {} });
}

describe('withGovernanceEntry', () => {
  it('adds nothing without a store or a governance section', () => {
    expect(withGovernanceEntry([prometheus], configOf({}), undefined)).toEqual([prometheus]);
  });

  it('appends governance after the listed plugins when a store is open', () => {
    const store = { kind: 'store' };
    const entries = withGovernanceEntry([prometheus], configOf({}), store);
    expect(entries).toEqual([
      prometheus,
      {
        name: 'governance',
        enabled: true,
        config: {
          governance: undefined,
          enforce_auth_on_inference: undefined,
          counters: { type: 'memory' },
          pricing: undefined,
          store,
        },
      },
    ]);
  });

  it.each([
    [{ governance: { virtual_keys: [{ id: 'vk', name: 'k' }] } }],
    [{ client: { enforce_auth_on_inference: true } }],
    [{ framework: { pricing: { pricing_sync_interval: 7200 } } }],
    [{ counters: { type: 'memory' } }],
  ])('appends governance for %j without a store', (document) => {
    expect(withGovernanceEntry([], configOf(document), undefined).map((entry) => entry.name)).toEqual([
      'governance',
    ]);
  });

  it('merges a listed governance entry, keeping its own keys and the gateway store', () => {
    const store = { kind: 'store' };
    const listed: PluginEntry = {
      name: '@bifrost/plugin-governance',
      enabled: true,
      config: { counters: { type: 'redis', url: 'redis://x' }, store: 'ignored' },
    };
    const [entry] = withGovernanceEntry(
      [listed],
      configOf({ client: { enforce_auth_on_inference: true } }),
      store,
    );
    expect(entry?.config).toMatchObject({
      enforce_auth_on_inference: true,
      counters: { type: 'redis', url: 'redis://x' },
      store,
    });
  });

  it('leaves a governance entry disabled on purpose off', () => {
    const disabled: PluginEntry = { name: 'governance', enabled: false, config: undefined };
    expect(withGovernanceEntry([disabled], configOf({}), {})).toEqual([
      { ...disabled, config: expect.any(Object) },
    ]);
    expect(withGovernanceEntry([disabled], configOf({}), {})[0]?.enabled).toBe(false);
  });
});

describe('governancePluginConfig', () => {
  it('lets auth_config.disable_auth_on_inference turn enforcement off', () => {
    const config = configOf({
      client: { enforce_auth_on_inference: true },
      governance: { auth_config: { disable_auth_on_inference: true } },
    });
    expect(governancePluginConfig(config, undefined).enforce_auth_on_inference).toBe(false);
  });

  it('passes counters, pricing and the validated governance section through', () => {
    const config = configOf({
      counters: { type: 'redis', url: 'redis://127.0.0.1:6379' },
      framework: { pricing: { pricing_url: 'https://example.com/p.json' } },
      governance: { budgets: [{ id: 'b', max_limit: 1, reset_duration: '1d' }] },
    });
    expect(governancePluginConfig(config, undefined)).toMatchObject({
      counters: { type: 'redis', url: 'redis://127.0.0.1:6379', fail_mode: 'open' },
      pricing: { pricing_url: 'https://example.com/p.json' },
      governance: { budgets: [{ id: 'b', max_limit: 1, reset_duration: '1d' }], virtual_keys: [] },
    });
  });
});
