import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** A `timestamptz` column: read as a `Date`, written as a `Date` or an ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in when the insert leaves it out. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A column with a database default. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** A `jsonb` column holding `T`. */
type Json<T extends object> = JSONColumnType<T, string | undefined, string>;

/** The model list shape upstream uses: `["*"]` all, `[]` none, `regex:` entries allowed. */
export type ModelList = string[];

/** One MCP client a virtual key may use and the tools it may run there. */
export interface VirtualKeyMcpConfig {
  mcp_client_name: string;
  tools_to_execute: string[];
}

/** `rate_limits`: token and request limits with their windows and the durable copy of usage. */
export interface RateLimitTable {
  id: string;
  token_max_limit: number | null;
  token_reset_duration: string | null;
  token_current_usage: Defaulted<number>;
  token_last_reset: DefaultTimestamp;
  request_max_limit: number | null;
  request_reset_duration: string | null;
  request_current_usage: Defaulted<number>;
  request_last_reset: DefaultTimestamp;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** `budgets`: a spend cap in USD over a reset window, with the durable copy of usage. */
export interface BudgetTable {
  id: string;
  max_limit: number;
  reset_duration: string;
  current_usage: Defaulted<number>;
  last_reset: DefaultTimestamp;
  override_amount: number | null;
  override_mode: 'forever' | 'cycles' | null;
  override_cycles: number | null;
  virtual_key_id: string | null;
  provider_config_id: number | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** `customers`: the top of the governance hierarchy. */
export interface CustomerTable {
  id: string;
  name: string;
  budget_id: string | null;
  rate_limit_id: string | null;
  calendar_aligned: Defaulted<boolean>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** `teams`: optionally under a customer. */
export interface TeamTable {
  id: string;
  name: string;
  customer_id: string | null;
  budget_id: string | null;
  rate_limit_id: string | null;
  calendar_aligned: Defaulted<boolean>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** `virtual_keys`: the `sk-bf-…` credentials callers present. */
export interface VirtualKeyTable {
  id: string;
  name: string;
  description: Defaulted<string>;
  value: string;
  is_active: Defaulted<boolean>;
  team_id: string | null;
  customer_id: string | null;
  rate_limit_id: string | null;
  calendar_aligned: Defaulted<boolean>;
  expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  delete_after_expire: Defaulted<boolean>;
  allow_all_providers: Defaulted<boolean>;
  disable_content_logging: boolean | null;
  mcp_configs: Json<VirtualKeyMcpConfig[]>;
  config_hash: Defaulted<string>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** `vk_provider_configs`: which providers, models and keys a virtual key may use, and with what weight. */
export interface VirtualKeyProviderConfigTable {
  id: Generated<number>;
  virtual_key_id: string;
  provider: string;
  weight: number | null;
  allowed_models: Json<ModelList>;
  blacklisted_models: Json<ModelList>;
  key_ids: Json<string[]>;
  rate_limit_id: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** `providers`: a provider's config-file entry (without keys) and its deployment-wide governance. */
export interface ProviderTable {
  name: string;
  config: Json<Record<string, unknown>>;
  budget_id: string | null;
  rate_limit_id: string | null;
  calendar_aligned: Defaulted<boolean>;
  /** A row that only holds governance limits for a provider configured elsewhere; it has no settings of its own. */
  governance_only: Defaulted<boolean>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** `provider_keys`: a provider's API keys. */
export interface ProviderKeyTable {
  id: string;
  provider: string;
  name: string;
  value: string;
  models: Json<ModelList>;
  blacklisted_models: Json<ModelList>;
  weight: Defaulted<number>;
  enabled: Defaulted<boolean>;
  config: Json<Record<string, unknown>>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** `model_configs`: budgets and rate limits for a model, globally or for one virtual key. */
export interface ModelConfigTable {
  id: string;
  model_name: string;
  provider: string | null;
  scope: Defaulted<'global' | 'virtual_key'>;
  scope_id: string | null;
  budget_id: string | null;
  rate_limit_id: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** `pricing_overrides`: price fields that replace the catalog's for matching models. */
export interface PricingOverrideTable {
  id: string;
  name: string;
  scope_kind: string;
  provider_id: string | null;
  match_type: string;
  pattern: string;
  request_types: Json<string[]>;
  patch: Json<Record<string, number>>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** `request_logs`: one row per request, newest first. */
export interface RequestLogTable {
  id: string;
  timestamp: Timestamp;
  route: Defaulted<string>;
  provider: string | null;
  model: string | null;
  stream: Defaulted<boolean>;
  status: number;
  error_type: string | null;
  error_message: string | null;
  latency_ms: number | null;
  time_to_first_token_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_tokens: number | null;
  reasoning_tokens: number | null;
  cost: number | null;
  retries: Defaulted<number>;
  fallback_index: Defaulted<number>;
  key_id: string | null;
  virtual_key_id: string | null;
  team_id: string | null;
  customer_id: string | null;
  dimensions: Json<Record<string, string>>;
  request_body: ColumnType<unknown, string | null | undefined, string | null>;
  response_body: ColumnType<unknown, string | null | undefined, string | null>;
}

/** `settings`: one JSON value per key, for gateway-wide settings the management API changes. */
export interface SettingTable {
  key: string;
  value: Json<object>;
  updated_at: DefaultTimestamp;
}

/** Every table, as Kysely sees the schema after all migrations. */
export interface Database {
  rate_limits: RateLimitTable;
  budgets: BudgetTable;
  customers: CustomerTable;
  teams: TeamTable;
  virtual_keys: VirtualKeyTable;
  vk_provider_configs: VirtualKeyProviderConfigTable;
  providers: ProviderTable;
  provider_keys: ProviderKeyTable;
  model_configs: ModelConfigTable;
  pricing_overrides: PricingOverrideTable;
  request_logs: RequestLogTable;
  settings: SettingTable;
}
