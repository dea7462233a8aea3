import { randomUUID } from 'node:crypto';
import type { BudgetLineConfig, GovernanceConfig } from '@bifrost/schemas';
import type { BudgetRow, GovernanceRows, ProviderConfigRow } from './governance-rows.js';

/** The id given to a budget written inline on its owner: stable, so a restart finds the same row. */
export function inlineBudgetId(ownerId: string, line: BudgetLineConfig): string {
  return `${ownerId}:budget:${line.reset_duration}`;
}

/** The key that ties a config-file provider config's budgets to it before it has a row id. */
export function providerConfigKey(virtualKeyId: string, provider: string): string {
  return `${virtualKeyId}/${provider}`;
}

/** A config value written `env.NAME` read from the environment, as elsewhere in the config file. */
export function resolveEnvValue(value: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.startsWith('env.') ? (env[value.slice(4)] ?? '') : value;
}

function date(value: string | undefined, fallback: Date): Date {
  return value === undefined ? fallback : new Date(value);
}

/**
 * Converts the config file's `governance` section to rows, as the store would hold them. Budgets named by
 * `budget_id` are owned by whoever names them; inline `budgets` get stable ids of their own. Customers, teams and
 * model configs hold one budget each, as the store does: the first one given.
 */
export function configGovernanceRows(config: GovernanceConfig, now: Date = new Date()): GovernanceRows {
  const budgets = new Map<string, BudgetRow>();
  for (const budget of config.budgets) {
    budgets.set(budget.id, {
      id: budget.id,
      max_limit: budget.max_limit,
      reset_duration: budget.reset_duration,
      current_usage: budget.current_usage ?? 0,
      last_reset: date(budget.last_reset, now),
      override_amount: null,
      virtual_key_id: null,
      provider_config_id: null,
      created_at: now,
    });
  }
  const inline = (id: string, line: BudgetLineConfig, owner: Partial<BudgetRow>): string => {
    const row: BudgetRow = {
      id,
      max_limit: line.max_limit,
      reset_duration: line.reset_duration,
      current_usage: 0,
      last_reset: now,
      override_amount: null,
      virtual_key_id: null,
      provider_config_id: null,
      created_at: now,
      ...owner,
    };
    budgets.set(id, row);
    return id;
  };
  const own = (id: string | undefined, owner: Partial<BudgetRow>) => {
    const row = id === undefined ? undefined : budgets.get(id);
    if (row !== undefined) Object.assign(row, owner);
  };
  const firstBudget = (ownerId: string, budgetId: string | undefined, lines?: BudgetLineConfig[]) => {
    const line = lines?.[0];
    return budgetId ?? (line === undefined ? null : inline(inlineBudgetId(ownerId, line), line, {}));
  };

  const providerConfigs: ProviderConfigRow[] = [];
  for (const key of config.virtual_keys) {
    own(key.budget_id, { virtual_key_id: key.id });
    for (const line of key.budgets ?? [])
      inline(inlineBudgetId(key.id, line), line, { virtual_key_id: key.id });
    for (const config of key.provider_configs ?? []) {
      const owner = { provider_config_key: providerConfigKey(key.id, config.provider) };
      own(config.budget_id, owner);
      for (const line of config.budgets ?? []) {
        inline(inlineBudgetId(owner.provider_config_key, line), line, owner);
      }
      providerConfigs.push({
        id: undefined,
        virtual_key_id: key.id,
        provider: config.provider,
        weight: config.weight ?? null,
        allowed_models: config.allowed_models ?? [],
        blacklisted_models: config.blacklisted_models ?? [],
        key_ids: config.key_ids ?? [],
        rate_limit_id: config.rate_limit_id ?? null,
      });
    }
  }

  // Before the budgets are listed: a customer's inline budget is one of them.
  const customers = config.customers.map((customer) => ({
    id: customer.id,
    name: customer.name,
    budget_id: firstBudget(customer.id, customer.budget_id, customer.budgets),
    rate_limit_id: customer.rate_limit_id ?? null,
    calendar_aligned: customer.calendar_aligned ?? false,
  }));

  return {
    budgets: [...budgets.values()],
    rateLimits: config.rate_limits.map((limit) => ({
      id: limit.id,
      token_max_limit: limit.token_max_limit ?? null,
      token_reset_duration: limit.token_reset_duration ?? null,
      token_current_usage: limit.token_current_usage ?? 0,
      token_last_reset: date(limit.token_last_reset, now),
      request_max_limit: limit.request_max_limit ?? null,
      request_reset_duration: limit.request_reset_duration ?? null,
      request_current_usage: limit.request_current_usage ?? 0,
      request_last_reset: date(limit.request_last_reset, now),
      created_at: now,
    })),
    customers,
    teams: config.teams.map((team) => ({
      id: team.id,
      name: team.name,
      customer_id: team.customer_id ?? null,
      budget_id: team.budget_id ?? null,
      rate_limit_id: team.rate_limit_id ?? null,
      calendar_aligned: team.calendar_aligned ?? false,
    })),
    virtualKeys: config.virtual_keys.map((key) => ({
      id: key.id,
      name: key.name,
      // A key without a value gets one; the store keeps the one it already has.
      value: key.value === undefined ? `sk-bf-${randomUUID()}` : resolveEnvValue(key.value),
      is_active: key.is_active,
      team_id: key.team_id ?? null,
      customer_id: key.customer_id ?? null,
      rate_limit_id: key.rate_limit_id ?? null,
      calendar_aligned: key.calendar_aligned ?? false,
      expires_at: key.expires_at === undefined ? null : new Date(key.expires_at),
      allow_all_providers: key.allow_all_providers ?? false,
    })),
    providerConfigs,
    modelConfigs: config.model_configs.map((model) => ({
      id: model.id,
      model_name: model.model_name,
      provider: model.provider ?? null,
      scope: model.scope,
      scope_id: model.scope_id ?? null,
      budget_id: model.budget_id ?? model.budget_ids?.[0] ?? null,
      rate_limit_id: model.rate_limit_id ?? null,
    })),
    providers: config.providers.map((provider) => ({
      name: provider.name,
      budget_id: provider.budget_id ?? null,
      rate_limit_id: provider.rate_limit_id ?? null,
      calendar_aligned: provider.calendar_aligned ?? false,
    })),
  };
}
