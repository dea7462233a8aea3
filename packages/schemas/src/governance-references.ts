import type { z } from 'zod';
import type {
  BudgetConfig,
  BudgetLineConfig,
  CustomerConfig,
  GovernanceProviderConfig,
  ModelConfigConfig,
  RateLimitConfig,
  TeamConfig,
  VirtualKeyConfig,
} from './governance-entities.js';

/** The `governance` section's lists, as the cross-checks see them. */
interface GovernanceLists {
  budgets: BudgetConfig[];
  rate_limits: RateLimitConfig[];
  customers: CustomerConfig[];
  teams: TeamConfig[];
  virtual_keys: VirtualKeyConfig[];
  model_configs: ModelConfigConfig[];
  providers: GovernanceProviderConfig[];
}

type Path = (string | number)[];

/**
 * The rules no single entry can check: unique ids, names and values, references that resolve, and a virtual key
 * owned by a team or a customer but not both. Each problem is an issue at the path of the field that causes it.
 */
export function checkGovernanceReferences(governance: GovernanceLists, context: z.RefinementCtx): void {
  const report = (path: Path, message: string) => context.addIssue({ code: 'custom', path, message });

  const unique = <T>(list: readonly T[], listPath: Path, field: string, fieldOf: (item: T) => unknown) => {
    const seen = new Map<unknown, number>();
    list.forEach((item, index) => {
      const value = fieldOf(item);
      if (value === undefined) return;
      const first = seen.get(value);
      if (first === undefined) seen.set(value, index);
      else
        report(
          [...listPath, index, field],
          `duplicate ${field} ${JSON.stringify(value)} (first at index ${first})`,
        );
    });
  };
  unique(governance.budgets, ['budgets'], 'id', (budget) => budget.id);
  unique(governance.rate_limits, ['rate_limits'], 'id', (limit) => limit.id);
  unique(governance.customers, ['customers'], 'id', (customer) => customer.id);
  unique(governance.teams, ['teams'], 'id', (team) => team.id);
  unique(governance.virtual_keys, ['virtual_keys'], 'id', (key) => key.id);
  unique(governance.virtual_keys, ['virtual_keys'], 'name', (key) => key.name);
  unique(governance.virtual_keys, ['virtual_keys'], 'value', (key) => key.value);
  unique(governance.model_configs, ['model_configs'], 'id', (config) => config.id);
  unique(governance.providers, ['providers'], 'name', (provider) => provider.name);

  const known = {
    budget: new Set(governance.budgets.map((budget) => budget.id)),
    rate_limit: new Set(governance.rate_limits.map((limit) => limit.id)),
    customer: new Set(governance.customers.map((customer) => customer.id)),
    team: new Set(governance.teams.map((team) => team.id)),
    virtual_key: new Set(governance.virtual_keys.map((key) => key.id)),
  };
  const resolves = (kind: keyof typeof known, reference: string | undefined, path: Path) => {
    if (reference !== undefined && !known[kind].has(reference))
      report(path, `no ${kind.replace('_', ' ')} with id ${JSON.stringify(reference)}`);
  };
  const limitsResolve = (owner: { budget_id?: string; rate_limit_id?: string }, path: Path) => {
    resolves('budget', owner.budget_id, [...path, 'budget_id']);
    resolves('rate_limit', owner.rate_limit_id, [...path, 'rate_limit_id']);
  };
  const budgetLinesDiffer = (lines: readonly BudgetLineConfig[] | undefined, path: Path) => {
    // The store keeps one budget per owner and window, as upstream refuses two with the same reset_duration.
    if (lines) unique(lines, path, 'reset_duration', (line) => line.reset_duration);
  };

  governance.customers.forEach((customer, index) => {
    limitsResolve(customer, ['customers', index]);
    if (customer.budgets !== undefined && customer.budget_id !== undefined) {
      report(['customers', index, 'budget_id'], 'set budgets or budget_id, not both');
    }
    budgetLinesDiffer(customer.budgets, ['customers', index, 'budgets']);
  });
  governance.teams.forEach((team, index) => {
    limitsResolve(team, ['teams', index]);
    resolves('customer', team.customer_id, ['teams', index, 'customer_id']);
  });
  governance.virtual_keys.forEach((key, index) => {
    const path: Path = ['virtual_keys', index];
    limitsResolve(key, path);
    resolves('team', key.team_id, [...path, 'team_id']);
    resolves('customer', key.customer_id, [...path, 'customer_id']);
    if (key.team_id !== undefined && key.customer_id !== undefined) {
      report(path, 'a virtual key cannot be attached to both a team and a customer');
    }
    budgetLinesDiffer(key.budgets, [...path, 'budgets']);
    const providers = key.provider_configs ?? [];
    unique(providers, [...path, 'provider_configs'], 'provider', (config) => config.provider);
    providers.forEach((config, configIndex) => {
      limitsResolve(config, [...path, 'provider_configs', configIndex]);
      budgetLinesDiffer(config.budgets, [...path, 'provider_configs', configIndex, 'budgets']);
    });
  });
  governance.model_configs.forEach((config, index) => {
    const path: Path = ['model_configs', index];
    limitsResolve(config, path);
    for (const [budgetIndex, budgetId] of (config.budget_ids ?? []).entries()) {
      resolves('budget', budgetId, [...path, 'budget_ids', budgetIndex]);
    }
    if (config.scope === 'virtual_key') {
      if (config.scope_id === undefined)
        report([...path, 'scope_id'], 'scope_id is required when scope is virtual_key');
      else resolves('virtual_key', config.scope_id, [...path, 'scope_id']);
    }
  });
  for (const [index, provider] of governance.providers.entries())
    limitsResolve(provider, ['providers', index]);
}
