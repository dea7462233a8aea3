import { StoreConflictError, StoreError, StoreUnavailableError } from './store-error.js';

/**
 * The input field each named constraint guards, so a conflict names what the caller sent (`name`), not the
 * index. Constraint names are fixed in the migrations.
 */
const constraintFields: Readonly<Record<string, string>> = {
  virtual_keys_name_key: 'name',
  virtual_keys_value_key: 'value',
  virtual_keys_team_id_fkey: 'team_id',
  virtual_keys_customer_id_fkey: 'customer_id',
  virtual_keys_rate_limit_id_fkey: 'rate_limit_id',
  virtual_keys_one_owner_check: 'team_id',
  vk_provider_configs_virtual_key_id_fkey: 'virtual_key_id',
  vk_provider_configs_rate_limit_id_fkey: 'rate_limit_id',
  vk_provider_configs_provider_key: 'provider',
  teams_customer_id_fkey: 'customer_id',
  teams_budget_id_fkey: 'budget_id',
  teams_rate_limit_id_fkey: 'rate_limit_id',
  customers_budget_id_fkey: 'budget_id',
  customers_rate_limit_id_fkey: 'rate_limit_id',
  budgets_virtual_key_id_fkey: 'virtual_key_id',
  budgets_provider_config_id_fkey: 'provider_config_id',
  budgets_owner_reset_duration_key: 'reset_duration',
  providers_pkey: 'name',
  providers_budget_id_fkey: 'budget_id',
  providers_rate_limit_id_fkey: 'rate_limit_id',
  provider_keys_pkey: 'id',
  provider_keys_provider_fkey: 'provider',
  provider_keys_provider_name_key: 'name',
  model_configs_scope_key: 'model_name',
  model_configs_budget_id_fkey: 'budget_id',
  model_configs_rate_limit_id_fkey: 'rate_limit_id',
  pricing_overrides_name_key: 'name',
  request_logs_pkey: 'id',
};

/** SQLSTATE classes and codes that mean the server is gone or going, not that the query was wrong. */
const unavailableStates = new Set(['57P01', '57P02', '57P03', '53300']);
/** Node socket errors that mean the server is unreachable. */
const unavailableSocketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** Messages `pg` uses for a connection lost or never made (it sets no code on these). */
const unavailableMessages = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection ended unexpectedly',
  'PGlite is closed',
  'Cannot use a pool after calling end',
  'driver has already been destroyed',
];

function describeConstraint(code: string, constraint: string | undefined): string {
  return constraint === undefined ? code : (constraintFields[constraint] ?? constraint);
}

/**
 * Turns whatever the driver threw into a {@link StoreError}: the one place that reads SQLSTATE codes, constraint
 * names and socket errors, so repositories never do.
 */
export function mapDatabaseError(error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const details = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    constraint?: unknown;
    message?: unknown;
  };
  const code = typeof details.code === 'string' ? details.code : '';
  const constraint = typeof details.constraint === 'string' ? details.constraint : undefined;
  const message = typeof details.message === 'string' ? details.message : String(error);
  if (code === '23505') {
    return new StoreConflictError(describeConstraint(code, constraint), { constraint, cause: error });
  }
  if (code === '23503') {
    const field = describeConstraint(code, constraint);
    return new StoreError('invalid_reference', `${field} refers to a row that does not exist`, {
      field,
      constraint,
      cause: error,
    });
  }
  if (code === '23514') {
    const field = describeConstraint(code, constraint);
    return new StoreError('constraint_violated', message, { field, constraint, cause: error });
  }
  if (
    unavailableStates.has(code) ||
    code.startsWith('08') ||
    unavailableSocketCodes.has(code) ||
    unavailableMessages.some((fragment) => message.includes(fragment))
  ) {
    return new StoreUnavailableError(`the store is unavailable: ${message}`, { cause: error });
  }
  return new StoreError('internal', message, { constraint, cause: error });
}
