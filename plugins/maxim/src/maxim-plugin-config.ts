/** The plugin's config, as written under `plugins[].config` in the config file or passed in code. */
export interface MaximPluginConfig {
  /** Maxim API key. @default process.env.MAXIM_API_KEY */
  api_key?: string;
  /** The log repository traces go to unless a request names another. @default process.env.MAXIM_LOG_REPO_ID */
  log_repo_id?: string;
  /** Maxim's API, for self-hosted deployments and tests. @default 'https://app.getmaxim.ai' */
  base_url?: string;
}

/** The config once defaults are applied and every field is checked. */
export interface ResolvedMaximConfig {
  apiKey: string;
  logRepoId: string;
  baseUrl: string | undefined;
}

/** A plugin config the factory refuses; the message names the field at fault. */
export class MaximConfigError extends Error {
  override readonly name = 'MaximConfigError';
  /** The config field at fault, as written in the config file. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field} ${message}`);
    this.field = field;
  }
}

const knownFields = new Set(['api_key', 'log_repo_id', 'base_url']);

/**
 * Checks the plugin config and fills `api_key` and `log_repo_id` from `MAXIM_API_KEY` and `MAXIM_LOG_REPO_ID`;
 * a value in the config wins over the environment.
 */
export function resolveMaximConfig(
  config: unknown,
  env: Readonly<Record<string, string | undefined>>,
): ResolvedMaximConfig {
  if (config === undefined || config === null) config = {};
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new MaximConfigError('config', 'must be an object with api_key and log_repo_id');
  }
  const fields = config as Record<string, unknown>;
  for (const field of Object.keys(fields)) {
    if (!knownFields.has(field)) {
      throw new MaximConfigError(
        field,
        'is not a maxim plugin option (expected api_key, log_repo_id, base_url)',
      );
    }
  }
  const apiKey = stringField(fields, 'api_key') ?? nonEmpty(env.MAXIM_API_KEY);
  if (apiKey === undefined) {
    throw new MaximConfigError('api_key', 'is required: set it in the plugin config or in MAXIM_API_KEY');
  }
  const logRepoId = stringField(fields, 'log_repo_id') ?? nonEmpty(env.MAXIM_LOG_REPO_ID);
  if (logRepoId === undefined) {
    throw new MaximConfigError(
      'log_repo_id',
      'is required: set it in the plugin config or in MAXIM_LOG_REPO_ID',
    );
  }
  const baseUrl = stringField(fields, 'base_url');
  if (baseUrl !== undefined && !URL.canParse(baseUrl)) {
    throw new MaximConfigError('base_url', `must be an absolute URL, got "${baseUrl}"`);
  }
  return { apiKey, logRepoId, baseUrl: baseUrl?.replace(/\/+$/, '') };
}

function stringField(fields: Record<string, unknown>, field: string): string | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new MaximConfigError(field, `must be a string, got ${typeof value}`);
  return nonEmpty(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
