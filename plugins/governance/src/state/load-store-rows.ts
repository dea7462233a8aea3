import type { Store } from '@bifrost/store';
import type { GovernanceRows } from './governance-rows.js';

/**
 * Reads every row governance decides on from the store: one query per table, run together. Done at start, every
 * `sync_interval` and after a management write, never on the request path.
 */
export async function loadStoreRows(store: Store): Promise<GovernanceRows> {
  const db = store.db;
  const [virtualKeys, providerConfigs, budgets, rateLimits, teams, customers, modelConfigs, providers] =
    await Promise.all([
      db
        .selectFrom('virtual_keys')
        .select([
          'id',
          'name',
          'value',
          'is_active',
          'team_id',
          'customer_id',
          'rate_limit_id',
          'calendar_aligned',
          'expires_at',
          'allow_all_providers',
        ])
        .execute(),
      db
        .selectFrom('vk_provider_configs')
        .select([
          'id',
          'virtual_key_id',
          'provider',
          'weight',
          'allowed_models',
          'blacklisted_models',
          'key_ids',
          'rate_limit_id',
        ])
        .orderBy('id')
        .execute(),
      db.selectFrom('budgets').selectAll().execute(),
      db.selectFrom('rate_limits').selectAll().execute(),
      db.selectFrom('teams').selectAll().execute(),
      db.selectFrom('customers').selectAll().execute(),
      db.selectFrom('model_configs').selectAll().execute(),
      db.selectFrom('providers').select(['name', 'budget_id', 'rate_limit_id', 'calendar_aligned']).execute(),
    ]);
  return { virtualKeys, providerConfigs, budgets, rateLimits, teams, customers, modelConfigs, providers };
}

/** Whether the store holds a virtual key with this value: one indexed lookup, for keys made on other instances. */
export async function storeHasKey(store: Store, value: string): Promise<boolean> {
  return (await store.virtualKeys.getByValue(value)) !== undefined;
}
