import type {
  BudgetRow,
  GovernanceRows,
  ProviderConfigRow,
  RateLimitRow,
  VirtualKeyRow,
} from '../state/governance-rows.js';
import { emptyGovernanceRows } from '../state/governance-rows.js';

/** The creation time of every row the builder makes, so rolling windows start on a round instant. */
export const createdAt = new Date('2026-01-01T00:00:00Z');

/** A virtual key row with upstream's defaults: active, no team, no limits, no providers. */
export function virtualKeyRow(overrides: Partial<VirtualKeyRow> & Pick<VirtualKeyRow, 'id'>): VirtualKeyRow {
  return {
    name: overrides.id,
    value: `sk-bf-${overrides.id}`,
    is_active: true,
    team_id: null,
    customer_id: null,
    rate_limit_id: null,
    calendar_aligned: false,
    expires_at: null,
    allow_all_providers: false,
    ...overrides,
  };
}

/** A provider config allowing every model on every key, unless overridden. */
export function providerConfigRow(
  overrides: Partial<ProviderConfigRow> & Pick<ProviderConfigRow, 'virtual_key_id' | 'provider'>,
): ProviderConfigRow {
  return {
    id: undefined,
    weight: 1,
    allowed_models: ['*'],
    blacklisted_models: [],
    key_ids: ['*'],
    rate_limit_id: null,
    ...overrides,
  };
}

/** A budget with no usage, created at {@link createdAt}. */
export function budgetRow(overrides: Partial<BudgetRow> & Pick<BudgetRow, 'id' | 'max_limit'>): BudgetRow {
  return {
    reset_duration: '1h',
    current_usage: 0,
    last_reset: createdAt,
    override_amount: null,
    virtual_key_id: null,
    provider_config_id: null,
    created_at: createdAt,
    ...overrides,
  };
}

/** A rate limit with no limits set; give `request_max_limit` and friends. */
export function rateLimitRow(overrides: Partial<RateLimitRow> & Pick<RateLimitRow, 'id'>): RateLimitRow {
  return {
    token_max_limit: null,
    token_reset_duration: null,
    token_current_usage: 0,
    token_last_reset: createdAt,
    request_max_limit: null,
    request_reset_duration: null,
    request_current_usage: 0,
    request_last_reset: createdAt,
    created_at: createdAt,
    ...overrides,
  };
}

/** Governance rows: empty ones with `parts` filled in. */
export function governanceRows(parts: Partial<GovernanceRows>): GovernanceRows {
  return { ...emptyGovernanceRows(), ...parts };
}
