import { describe, expect, it } from 'vitest';
import { configFileSchema } from './config.js';
import { governanceConfigSchema } from './governance-config.js';

/** Each refusal as `path: message`, the path joined with dots. */
function refusalsOf(governance: unknown): string[] {
  const result = governanceConfigSchema.safeParse(governance);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const upstreamExample = {
  budgets: [{ id: 'budget-1', max_limit: 100, reset_duration: '1M' }],
  rate_limits: [
    {
      id: 'rl-1',
      token_max_limit: 100_000,
      token_reset_duration: '1h',
      request_max_limit: 60,
      request_reset_duration: '1m',
    },
  ],
  customers: [{ id: 'customer-1', name: 'Acme', budget_id: 'budget-1' }],
  teams: [{ id: 'team-1', name: 'Platform', customer_id: 'customer-1', rate_limit_id: 'rl-1' }],
  virtual_keys: [
    {
      id: 'vk-1',
      name: 'platform-key',
      value: 'sk-bf-platform',
      description: 'the platform team',
      is_active: true,
      team_id: 'team-1',
      rate_limit_id: 'rl-1',
      budgets: [{ max_limit: 5, reset_duration: '1d' }],
      provider_configs: [
        {
          provider: 'openai',
          weight: 0.7,
          allowed_models: ['gpt-4o-mini'],
          key_ids: ['*'],
          budget_id: 'budget-1',
        },
        { provider: 'anthropic', weight: 0.3, allowed_models: ['*'], blacklisted_models: ['claude-3-opus'] },
      ],
      calendar_aligned: true,
      expires_at: '2030-01-01T00:00:00+05:30',
    },
  ],
  model_configs: [
    { id: 'mc-1', model_name: 'gpt-4o', scope: 'virtual_key', scope_id: 'vk-1', budget_ids: ['budget-1'] },
  ],
  providers: [{ name: 'openai', rate_limit_id: 'rl-1' }],
};

describe('governanceConfigSchema', () => {
  it("accepts upstream's config.json shape and defaults what it leaves out", () => {
    const governance = governanceConfigSchema.parse({
      virtual_keys: [{ id: 'vk', name: 'k', value: 'sk-bf-1' }],
    });
    expect(governance).toEqual({
      budgets: [],
      rate_limits: [],
      customers: [],
      teams: [],
      virtual_keys: [{ id: 'vk', name: 'k', value: 'sk-bf-1', is_active: true }],
      model_configs: [],
      providers: [],
    });
    expect(refusalsOf(upstreamExample)).toEqual([]);
  });

  it('refuses bad reset durations and limits of zero or less', () => {
    expect(
      refusalsOf({
        budgets: [
          { id: 'b1', max_limit: 0, reset_duration: '1h' },
          { id: 'b2', max_limit: 10, reset_duration: '1 hour' },
        ],
        rate_limits: [{ id: 'r1', request_max_limit: -1, request_reset_duration: '0m' }],
      }).map((refusal) => refusal.split(':')[0]),
    ).toEqual([
      'budgets.0.max_limit',
      'budgets.1.reset_duration',
      'rate_limits.0.request_max_limit',
      'rate_limits.0.request_reset_duration',
    ]);
  });

  it('refuses a rate limit whose max has no window', () => {
    expect(refusalsOf({ rate_limits: [{ id: 'r1', token_max_limit: 10 }] })).toEqual([
      'rate_limits.0.token_reset_duration: token_reset_duration is required when token_max_limit is set',
    ]);
  });

  it('refuses duplicate virtual key ids, names and values', () => {
    expect(
      refusalsOf({
        virtual_keys: [
          { id: 'a', name: 'same', value: 'sk-bf-same' },
          { id: 'a', name: 'same', value: 'sk-bf-same' },
        ],
      }),
    ).toEqual([
      'virtual_keys.1.id: duplicate id "a" (first at index 0)',
      'virtual_keys.1.name: duplicate name "same" (first at index 0)',
      'virtual_keys.1.value: duplicate value "sk-bf-same" (first at index 0)',
    ]);
  });

  it('refuses a virtual key attached to both a team and a customer', () => {
    expect(
      refusalsOf({
        customers: [{ id: 'c', name: 'C' }],
        teams: [{ id: 't', name: 'T' }],
        virtual_keys: [{ id: 'vk', name: 'k', team_id: 't', customer_id: 'c' }],
      }),
    ).toEqual(['virtual_keys.0: a virtual key cannot be attached to both a team and a customer']);
  });

  it('names every reference that does not resolve', () => {
    expect(
      refusalsOf({
        teams: [{ id: 't', name: 'T', customer_id: 'nobody', budget_id: 'missing' }],
        virtual_keys: [
          {
            id: 'vk',
            name: 'k',
            rate_limit_id: 'gone',
            provider_configs: [{ provider: 'openai', budget_id: 'b?' }],
          },
        ],
        model_configs: [{ id: 'm', model_name: '*', scope: 'virtual_key' }],
      }),
    ).toEqual([
      'teams.0.budget_id: no budget with id "missing"',
      'teams.0.customer_id: no customer with id "nobody"',
      'virtual_keys.0.rate_limit_id: no rate limit with id "gone"',
      'virtual_keys.0.provider_configs.0.budget_id: no budget with id "b?"',
      'model_configs.0.scope_id: scope_id is required when scope is virtual_key',
    ]);
  });

  it('refuses one provider listed twice on a key, and two inline budgets with the same window', () => {
    expect(
      refusalsOf({
        virtual_keys: [
          {
            id: 'vk',
            name: 'k',
            budgets: [
              { max_limit: 1, reset_duration: '1d' },
              { max_limit: 2, reset_duration: '1d' },
            ],
            provider_configs: [{ provider: 'openai' }, { provider: 'openai' }],
          },
        ],
      }),
    ).toEqual([
      'virtual_keys.0.budgets.1.reset_duration: duplicate reset_duration "1d" (first at index 0)',
      'virtual_keys.0.provider_configs.1.provider: duplicate provider "openai" (first at index 0)',
    ]);
  });

  it('refuses unknown keys and a timestamp that is not RFC 3339', () => {
    const result = governanceConfigSchema.safeParse({
      virtual_keys: [{ id: 'vk', name: 'k', expires_at: 'tomorrow', budget: { max_limit: 1 } }],
      routing_rules: [],
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) =>
      [...issue.path, ...('keys' in issue ? issue.keys : [])].join('.'),
    );
    expect(paths).toEqual(
      expect.arrayContaining(['routing_rules', 'virtual_keys.0.budget', 'virtual_keys.0.expires_at']),
    );
  });
});

describe('configFileSchema with governance and state', () => {
  it('accepts every new section together', () => {
    const config = configFileSchema.parse({
      providers: {
        openai: {
          keys: [{ name: 'main', value: 'sk', models: ['*'] }],
          network_config: { allow_private_network: true },
        },
      },
      client: { enforce_auth_on_inference: true, allow_direct_keys: false },
      governance: upstreamExample,
      auth_config: {
        is_enabled: true,
        admin_username: 'admin',
        admin_password: 'secret',
        disable_auth_on_inference: true,
      },
      config_store: { type: 'postgres', connection_string: 'postgres://u:p@h/d' },
      logs_store: { enabled: false, type: 'sqlite', config: { path: './logs.db' } },
      counters: { type: 'redis', url: 'redis://127.0.0.1:6379', fail_mode: 'closed', key_prefix: 'bf:' },
      framework: { pricing: { pricing_url: 'https://example.com/prices.json', pricing_sync_interval: 3600 } },
    });
    expect(config.client?.enforce_auth_on_inference).toBe(true);
    expect(config.governance?.virtual_keys[0]?.provider_configs).toHaveLength(2);
    expect(config.counters).toEqual({
      type: 'redis',
      url: 'redis://127.0.0.1:6379',
      fail_mode: 'closed',
      key_prefix: 'bf:',
    });
  });

  it('refuses auth_config at the top level and inside governance at once', () => {
    const auth = { is_enabled: false };
    const result = configFileSchema.safeParse({
      providers: {},
      auth_config: auth,
      governance: { auth_config: auth },
    });
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['governance.auth_config']);
  });
});
