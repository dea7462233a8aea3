import { compileModelList, InvalidModelPatternError } from '../decisions/model-list.js';
import { parseResetDuration } from '../durations/parse-reset-duration.js';
import type { WindowMode } from '../durations/reset-window.js';
import type { BudgetRow, GovernanceRows, ProviderConfigRow, RateLimitRow } from './governance-rows.js';
import type {
  GovernanceSnapshot,
  LimitCounter,
  LimitOwner,
  LimitScope,
  RateLimitCounters,
  ResolvedProviderConfig,
  ResolvedVirtualKey,
} from './governance-snapshot.js';
import { modelConfigKey } from './governance-snapshot.js';

/** Told about a row that cannot be enforced as written (a bad duration or pattern); the rest still loads. */
export type SnapshotProblem = (message: string) => void;

function time(value: Date | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Date.parse(value) : value.getTime();
}

/** Builds the immutable snapshot decisions read, resolving every reference once. */
export function buildSnapshot(
  rows: GovernanceRows,
  onProblem: SnapshotProblem = () => {},
): GovernanceSnapshot {
  const budgetRows = new Map(rows.budgets.map((row) => [row.id, row]));
  const rateLimitRows = new Map(rows.rateLimits.map((row) => [row.id, row]));
  const budgets = new Map<string, LimitCounter>();
  const rateLimits = new Map<string, RateLimitCounters>();

  function budgetCounter(row: BudgetRow, mode: WindowMode): LimitCounter | undefined {
    try {
      const duration = parseResetDuration(row.reset_duration);
      const counter: LimitCounter = {
        kind: 'budget',
        id: row.id,
        key: `b:${row.id}:${duration.text}`,
        limit: row.max_limit + (row.override_amount ?? 0),
        // Upstream anchors a rolling budget's windows at its creation.
        window: { duration, mode, anchor: time(row.created_at) },
        resetDuration: duration.text,
      };
      budgets.set(row.id, counter);
      return counter;
    } catch (error) {
      onProblem(`budget ${row.id} is not enforced: ${(error as Error).message}`);
      return undefined;
    }
  }

  function rateCounter(row: RateLimitRow, kind: 'tokens' | 'requests', mode: WindowMode) {
    const max = kind === 'tokens' ? row.token_max_limit : row.request_max_limit;
    const text = kind === 'tokens' ? row.token_reset_duration : row.request_reset_duration;
    if (max === null || text === null) return undefined;
    try {
      const duration = parseResetDuration(text);
      const key = `r:${row.id}:${kind === 'tokens' ? 't' : 'q'}:${duration.text}`;
      const window = { duration, mode, anchor: time(row.created_at) };
      return { kind, id: row.id, key, limit: max, window, resetDuration: duration.text } as LimitCounter;
    } catch (error) {
      onProblem(`rate limit ${row.id} (${kind}) is not enforced: ${(error as Error).message}`);
      return undefined;
    }
  }

  function owner(
    label: string,
    scope: LimitScope,
    calendarAligned: boolean,
    rateLimitId: string | null,
    budgetIds: readonly string[],
  ): LimitOwner | undefined {
    const mode: WindowMode = calendarAligned ? 'calendar' : 'rolling';
    const counters: LimitCounter[] = [];
    const rateRow = rateLimitId === null ? undefined : rateLimitRows.get(rateLimitId);
    if (rateRow !== undefined) {
      const tokens = rateCounter(rateRow, 'tokens', mode);
      const requests = rateCounter(rateRow, 'requests', mode);
      rateLimits.set(rateRow.id, { tokens, requests });
      if (tokens) counters.push(tokens);
      if (requests) counters.push(requests);
    }
    for (const id of budgetIds) {
      const row = budgetRows.get(id);
      const counter = row === undefined ? undefined : budgetCounter(row, mode);
      if (counter) counters.push(counter);
    }
    return counters.length === 0 ? undefined : { label, scope, counters };
  }

  const ids = (id: string | null) => (id === null ? [] : [id]);

  const providers = new Map<string, LimitOwner>();
  for (const row of rows.providers) {
    const limits = owner(row.name, 'provider', row.calendar_aligned, row.rate_limit_id, ids(row.budget_id));
    if (limits) providers.set(row.name, limits);
  }

  const globalModelConfigs = new Map<string, LimitOwner>();
  const scopedModelConfigs = new Map<string, Map<string, LimitOwner>>();
  for (const row of rows.modelConfigs) {
    const named = row.provider ? `${row.model_name}:Provider:${row.provider}` : row.model_name;
    const scoped = row.scope === 'virtual_key';
    const label = scoped ? `vk_model_config ${named}` : `Model:${named}`;
    const limits = owner(label, 'provider', false, row.rate_limit_id, ids(row.budget_id));
    if (limits === undefined) continue;
    const key = modelConfigKey(row.model_name, row.provider);
    if (!scoped) globalModelConfigs.set(key, limits);
    else if (row.scope_id !== null) {
      const index = scopedModelConfigs.get(row.scope_id) ?? new Map<string, LimitOwner>();
      scopedModelConfigs.set(row.scope_id, index);
      index.set(key, limits);
    }
  }

  const teams = new Map(rows.teams.map((row) => [row.id, row]));
  const customers = new Map(rows.customers.map((row) => [row.id, row]));
  const customerLimits = (id: string | null | undefined) => {
    const row = id ? customers.get(id) : undefined;
    return row && owner('Customer', 'caller', row.calendar_aligned, row.rate_limit_id, ids(row.budget_id));
  };

  const budgetsByVirtualKey = new Map<string, string[]>();
  const budgetsByProviderConfig = new Map<string, string[]>();
  for (const row of rows.budgets) {
    const providerConfig = row.provider_config_key ?? row.provider_config_id?.toString();
    if (providerConfig !== undefined) push(budgetsByProviderConfig, providerConfig, row.id);
    else if (row.virtual_key_id !== null) push(budgetsByVirtualKey, row.virtual_key_id, row.id);
  }
  const configsByVirtualKey = new Map<string, ProviderConfigRow[]>();
  for (const row of rows.providerConfigs) push(configsByVirtualKey, row.virtual_key_id, row);

  const virtualKeys = new Map<string, ResolvedVirtualKey>();
  for (const row of rows.virtualKeys) {
    try {
      const providerConfigs = new Map<string, ResolvedProviderConfig>();
      for (const config of configsByVirtualKey.get(row.id) ?? []) {
        const configKey = config.id?.toString() ?? `${row.id}/${config.provider}`;
        const configBudgets = budgetsByProviderConfig.get(configKey) ?? [];
        providerConfigs.set(config.provider, {
          provider: config.provider,
          weight: config.weight,
          allowedModels: compileModelList(config.allowed_models),
          blacklistedModels: compileModelList(config.blacklisted_models),
          keyIds: config.key_ids.includes('*') ? undefined : config.key_ids,
          limits: owner(
            config.provider,
            'provider',
            row.calendar_aligned,
            config.rate_limit_id,
            configBudgets,
          ),
        });
      }
      const team = row.team_id ? teams.get(row.team_id) : undefined;
      virtualKeys.set(row.value, {
        id: row.id,
        name: row.name,
        isActive: row.is_active,
        expiresAt: row.expires_at === null ? undefined : time(row.expires_at),
        allowAllProviders: row.allow_all_providers,
        providerConfigs,
        limits: owner(
          'VK',
          'caller',
          row.calendar_aligned,
          row.rate_limit_id,
          budgetsByVirtualKey.get(row.id) ?? [],
        ),
        team: team && owner('Team', 'caller', team.calendar_aligned, team.rate_limit_id, ids(team.budget_id)),
        customer: customerLimits(row.customer_id ?? team?.customer_id),
        modelConfigs: scopedModelConfigs.get(row.id) ?? new Map(),
      });
    } catch (error) {
      if (!(error instanceof InvalidModelPatternError)) throw error;
      // A key whose lists cannot be compiled is left out: refusing it beats allowing more than was meant.
      onProblem(`virtual key ${row.id} is not loaded: ${error.message}`);
    }
  }

  return {
    virtualKeys,
    providers,
    modelConfigs: globalModelConfigs,
    budgets,
    rateLimits,
    hasDeploymentLimits: providers.size > 0 || globalModelConfigs.size > 0,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
