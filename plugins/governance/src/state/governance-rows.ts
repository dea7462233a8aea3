import type {
  Budget,
  Customer,
  ModelConfig,
  Provider,
  RateLimit,
  Team,
  VirtualKey,
  VirtualKeyProviderConfig,
} from '@bifrost/store';

/** The columns of a virtual key that governance decides on. */
export type VirtualKeyRow = Pick<
  VirtualKey,
  | 'id'
  | 'name'
  | 'value'
  | 'is_active'
  | 'team_id'
  | 'customer_id'
  | 'rate_limit_id'
  | 'calendar_aligned'
  | 'expires_at'
  | 'allow_all_providers'
>;
/** A virtual key's provider config; `id` is absent for configs that come from the config file alone. */
export type ProviderConfigRow = Pick<
  VirtualKeyProviderConfig,
  | 'virtual_key_id'
  | 'provider'
  | 'weight'
  | 'allowed_models'
  | 'blacklisted_models'
  | 'key_ids'
  | 'rate_limit_id'
> & { id: number | undefined };
/** A budget: its limit, window and owner. */
export type BudgetRow = Pick<
  Budget,
  | 'id'
  | 'max_limit'
  | 'reset_duration'
  | 'current_usage'
  | 'last_reset'
  | 'override_amount'
  | 'virtual_key_id'
  | 'provider_config_id'
  | 'created_at'
> & {
  /** Set for config-file budgets owned by a provider config, which has no row id without a store. */
  provider_config_key?: string;
};
/** A rate limit: its limits, windows and durable usage. */
export type RateLimitRow = Pick<
  RateLimit,
  | 'id'
  | 'token_max_limit'
  | 'token_reset_duration'
  | 'token_current_usage'
  | 'token_last_reset'
  | 'request_max_limit'
  | 'request_reset_duration'
  | 'request_current_usage'
  | 'request_last_reset'
  | 'created_at'
>;
/** A team and where its limits are. */
export type TeamRow = Pick<
  Team,
  'id' | 'name' | 'customer_id' | 'budget_id' | 'rate_limit_id' | 'calendar_aligned'
>;
/** A customer and where its limits are. */
export type CustomerRow = Pick<Customer, 'id' | 'name' | 'budget_id' | 'rate_limit_id' | 'calendar_aligned'>;
/** Limits on a model, globally or within one virtual key. */
export type ModelConfigRow = Pick<
  ModelConfig,
  'id' | 'model_name' | 'provider' | 'scope' | 'scope_id' | 'budget_id' | 'rate_limit_id'
>;
/** Deployment-wide limits on a provider. */
export type ProviderRow = Pick<Provider, 'name' | 'budget_id' | 'rate_limit_id' | 'calendar_aligned'>;

/**
 * Everything governance reads, as rows: loaded from the store, or converted from the config file's `governance`
 * section when there is no store. The snapshot is built from this one shape either way.
 */
export interface GovernanceRows {
  virtualKeys: VirtualKeyRow[];
  providerConfigs: ProviderConfigRow[];
  budgets: BudgetRow[];
  rateLimits: RateLimitRow[];
  teams: TeamRow[];
  customers: CustomerRow[];
  modelConfigs: ModelConfigRow[];
  providers: ProviderRow[];
}

/** Rows with nothing in them: governance with no keys and no limits. */
export function emptyGovernanceRows(): GovernanceRows {
  return {
    virtualKeys: [],
    providerConfigs: [],
    budgets: [],
    rateLimits: [],
    teams: [],
    customers: [],
    modelConfigs: [],
    providers: [],
  };
}
