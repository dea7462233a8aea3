import type {
  Budget,
  Customer,
  RateLimit,
  Store,
  Team,
  VirtualKey,
  VirtualKeyProviderConfig,
} from '@bifrost/store';
import { type LiveUsageReader, withLiveBudget, withLiveRateLimit } from './live-usage.js';

/** Groups rows by a key, keeping their order. */
function groupBy<T, K>(rows: readonly T[], keyOf: (row: T) => K | null): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === null) continue;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }
  return groups;
}

function byId<T extends { id: string }>(rows: readonly T[]): Map<string, T> {
  return new Map(rows.map((row) => [row.id, row]));
}

/** The rows a virtual key's answer is built from, read in a handful of queries for any number of keys. */
interface Relations {
  budgets: Map<string, Budget[]>;
  providerBudgets: Map<number, Budget[]>;
  providerConfigs: Map<string, VirtualKeyProviderConfig[]>;
  rateLimits: Map<string, RateLimit>;
  teams: Map<string, Team>;
  customers: Map<string, Customer>;
}

async function loadRelations(
  store: Store,
  keys: readonly VirtualKey[],
  live: LiveUsageReader,
): Promise<Relations> {
  const keyIds = keys.map((key) => key.id);
  const configs = await store.virtualKeyProviderConfigs.listForVirtualKeys(keyIds);
  const rateLimitIds = [...keys, ...configs].flatMap((row) =>
    row.rate_limit_id === null ? [] : [row.rate_limit_id],
  );
  const [budgets, rateLimits, teams, customers] = await Promise.all([
    store.budgets.listForOwners({
      virtualKeyIds: keyIds,
      providerConfigIds: configs.map((config) => config.id),
    }),
    store.rateLimits.getMany(rateLimitIds),
    store.teams.getMany(keys.flatMap((key) => (key.team_id === null ? [] : [key.team_id]))),
    store.customers.getMany(keys.flatMap((key) => (key.customer_id === null ? [] : [key.customer_id]))),
  ]);
  const liveBudgets = await Promise.all(budgets.map((budget) => withLiveBudget(budget, live)));
  const liveRateLimits = await Promise.all(rateLimits.map((limit) => withLiveRateLimit(limit, live)));
  return {
    budgets: groupBy(liveBudgets, (budget) => budget.virtual_key_id),
    providerBudgets: groupBy(liveBudgets, (budget) => budget.provider_config_id),
    providerConfigs: groupBy(configs, (config) => config.virtual_key_id),
    rateLimits: byId(liveRateLimits),
    teams: byId(teams),
    customers: byId(customers),
  };
}

/** Go's `omitempty` on upstream's pointer fields: a missing relation is left out rather than sent as null. */
function present<T>(field: string, value: T | undefined): Record<string, T> {
  return value === undefined ? {} : { [field]: value };
}

/** A provider config as upstream shows it, with `allow_all_keys` and its own budgets and rate limit. */
function presentProviderConfig(
  config: VirtualKeyProviderConfig,
  relations: Relations,
): Record<string, unknown> {
  return {
    ...config,
    allowed_models: config.allowed_models ?? [],
    blacklisted_models: config.blacklisted_models ?? [],
    allow_all_keys: config.key_ids.includes('*'),
    ...present(
      'rate_limit',
      config.rate_limit_id === null ? undefined : relations.rateLimits.get(config.rate_limit_id),
    ),
    budgets: relations.providerBudgets.get(config.id) ?? [],
    keys: [],
  };
}

/**
 * Virtual keys in upstream's shape: the row with `value`, its nested `rate_limit`, `budgets`, `provider_configs`,
 * `team` and `customer`. With `live`, budgets and rate limits show the runtime's in-memory counts.
 */
export async function presentVirtualKeys(
  store: Store,
  keys: readonly VirtualKey[],
  live?: LiveUsageReader,
): Promise<Record<string, unknown>[]> {
  if (keys.length === 0) return [];
  const relations = await loadRelations(store, keys, live);
  return keys.map((key) => ({
    ...key,
    ...present('team', key.team_id === null ? undefined : relations.teams.get(key.team_id)),
    ...present('customer', key.customer_id === null ? undefined : relations.customers.get(key.customer_id)),
    ...present(
      'rate_limit',
      key.rate_limit_id === null ? undefined : relations.rateLimits.get(key.rate_limit_id),
    ),
    budgets: relations.budgets.get(key.id) ?? [],
    provider_configs: (relations.providerConfigs.get(key.id) ?? []).map((config) =>
      presentProviderConfig(config, relations),
    ),
  }));
}

/** One virtual key in upstream's shape, or undefined when there is none with this id. */
export async function presentVirtualKey(
  store: Store,
  id: string,
  live?: LiveUsageReader,
): Promise<Record<string, unknown> | undefined> {
  const key = await store.virtualKeys.get(id);
  return key === undefined ? undefined : (await presentVirtualKeys(store, [key], live))[0];
}
