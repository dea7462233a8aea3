import { type ConfigFile, clientConfigSchema } from '@bifrost/schemas';
import { invalidRequest } from '../error-response.js';

/** Upstream's boolean `client_config` fields. */
const booleanFields = [
  'drop_excess_requests',
  'allow_direct_keys',
  'enable_logging',
  'disable_content_logging',
  'enforce_auth_on_inference',
  'mcp_enable_temp_token_auth',
  'delete_expired_virtual_keys',
];
/** Whole-number fields and their least allowed value. */
const integerFields: Readonly<Record<string, number>> = {
  initial_pool_size: 0,
  log_retention_days: 1,
  mcp_agent_depth: 1,
  mcp_tool_execution_timeout: 1,
};
/** Positive-number fields. */
const positiveFields = [
  'max_request_body_size_mb',
  'max_in_flight_request_body_mb',
  'client_read_timeout_in_seconds',
];
/** String-list fields. */
const stringListFields = ['prometheus_labels', 'whitelisted_routes', 'allowed_origins', 'allowed_headers'];

/** Fields a change of which the running gateway picks up at once; the others wait for a restart. */
const liveFields: ReadonlySet<string> = new Set(['whitelisted_routes']);

/**
 * Checks the `client_config` of a `PUT /api/config` body: the fields this gateway knows must have the right type
 * and range (400 naming `client_config.<field>` otherwise); unknown ones are kept as sent, as upstream's clients
 * read back what they wrote.
 */
export function validateClientConfig(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest('must be an object', 'client_config');
  }
  const config = value as Record<string, unknown>;
  const fail = (field: string, message: string) => invalidRequest(message, `client_config.${field}`);
  for (const field of booleanFields) {
    if (config[field] !== undefined && typeof config[field] !== 'boolean')
      throw fail(field, 'must be a boolean');
  }
  for (const [field, minimum] of Object.entries(integerFields)) {
    const number = config[field];
    if (number === undefined) continue;
    if (!Number.isInteger(number) || (number as number) < minimum) {
      throw fail(field, `must be a whole number of at least ${minimum}`);
    }
  }
  for (const field of positiveFields) {
    const number = config[field];
    if (number !== undefined && !(typeof number === 'number' && number > 0)) {
      throw fail(field, 'must be a number greater than 0');
    }
  }
  for (const field of stringListFields) {
    const list = config[field];
    if (list !== undefined && !(Array.isArray(list) && list.every((item) => typeof item === 'string'))) {
      throw fail(field, 'must be a list of strings');
    }
  }
  return config;
}

/** The running `client` settings in upstream's `client_config` shape, with upstream's defaults for the rest. */
export function runningClientConfig(config: ConfigFile): Record<string, unknown> {
  return {
    drop_excess_requests: false,
    initial_pool_size: 300,
    prometheus_labels: [],
    allow_direct_keys: false,
    enable_logging: false,
    disable_content_logging: false,
    enforce_auth_on_inference: false,
    whitelisted_routes: [],
    ...config.client,
  };
}

/** Whether a stored `client_config` asks for something the running gateway only picks up after a restart. */
export function needsRestart(stored: Record<string, unknown> | undefined, config: ConfigFile): boolean {
  if (stored === undefined) return false;
  const running = runningClientConfig(config);
  // Only the fields this gateway runs on; upstream-only ones are kept for clients and change nothing here.
  return Object.keys(clientConfigSchema.shape).some(
    (field) =>
      !liveFields.has(field) &&
      stored[field] !== undefined &&
      JSON.stringify(stored[field]) !== JSON.stringify(running[field]),
  );
}
