import type { Store } from '@bifrost/store';
import type { BudgetRow, GovernanceRows } from './governance-rows.js';

/** Told about a config entry the store refused (a name another key already has, say); the rest still loads. */
export type SeedProblem = (message: string) => void;

/**
 * Writes the config file's governance rows into the store, by id: what the config names is what the store holds
 * for it (limits, lists, flags), while usage, creation times and entries made through the management API are
 * kept. A key without a value in the config keeps the value the store gave it.
 */
export async function seedStore(
  store: Store,
  rows: GovernanceRows,
  keysWithValues: ReadonlySet<string>,
  onProblem: SeedProblem,
): Promise<void> {
  const db = store.db;
  const attempt = async (what: string, write: () => Promise<unknown>) => {
    try {
      await write();
    } catch (error) {
      onProblem(`config ${what} could not be written to the store: ${(error as Error).message}`);
    }
  };
  const upsertBudget = (row: BudgetRow, providerConfigId: number | null) =>
    attempt(`budget ${row.id}`, () => {
      const owner = { virtual_key_id: row.virtual_key_id, provider_config_id: providerConfigId };
      const limits = { max_limit: row.max_limit, reset_duration: row.reset_duration, ...owner };
      return db
        .insertInto('budgets')
        .values({ id: row.id, ...limits, current_usage: row.current_usage, last_reset: row.last_reset })
        .onConflict((conflict) => conflict.column('id').doUpdateSet(limits))
        .execute();
    });

  for (const row of rows.rateLimits) {
    const {
      id,
      token_current_usage,
      request_current_usage,
      token_last_reset,
      request_last_reset,
      created_at,
      ...limits
    } = row;
    await attempt(`rate limit ${id}`, () =>
      db
        .insertInto('rate_limits')
        .values({ ...row, created_at: undefined })
        .onConflict((conflict) => conflict.column('id').doUpdateSet(limits))
        .execute(),
    );
  }
  // Budgets that teams, customers, providers and model configs name must exist before those rows.
  const owned = (row: BudgetRow) => row.virtual_key_id !== null || row.provider_config_key !== undefined;
  for (const row of rows.budgets) if (!owned(row)) await upsertBudget(row, null);
  // Rows whose every column the config names: inserted, or replaced but for their creation time.
  const upsertById = (table: 'customers' | 'teams' | 'model_configs', row: { id: string }) =>
    attempt(`${table} row ${row.id}`, () => {
      const { id: _id, ...fields } = row;
      // The query builder cannot type a table chosen at run time; each row has its own table's columns.
      return db
        .insertInto(table as 'customers')
        .values(row as never)
        .onConflict((c) => c.column('id').doUpdateSet(fields as never))
        .execute();
    });
  for (const row of rows.customers) await upsertById('customers', row);
  for (const row of rows.teams) await upsertById('teams', row);
  for (const row of rows.virtualKeys) {
    const { id, value, ...fields } = row;
    const update = keysWithValues.has(id) ? { ...fields, value } : fields;
    await attempt(`virtual key ${id}`, () =>
      db
        .insertInto('virtual_keys')
        .values({ ...row, mcp_configs: '[]' })
        .onConflict((c) => c.column('id').doUpdateSet(update))
        .execute(),
    );
  }
  for (const row of rows.budgets) if (row.virtual_key_id !== null) await upsertBudget(row, null);
  for (const row of rows.providerConfigs) {
    const { id: _id, virtual_key_id, provider, ...fields } = row;
    const json = {
      ...fields,
      allowed_models: JSON.stringify(fields.allowed_models),
      blacklisted_models: JSON.stringify(fields.blacklisted_models),
      key_ids: JSON.stringify(fields.key_ids),
    };
    let configId: number | undefined;
    await attempt(`provider config ${virtual_key_id}/${provider}`, async () => {
      const written = await db
        .insertInto('vk_provider_configs')
        .values({ virtual_key_id, provider, ...json })
        .onConflict((c) => c.columns(['virtual_key_id', 'provider']).doUpdateSet(json))
        .returning('id')
        .executeTakeFirstOrThrow();
      configId = written.id;
    });
    if (configId === undefined) continue;
    const key = `${virtual_key_id}/${provider}`;
    for (const budget of rows.budgets)
      if (budget.provider_config_key === key) await upsertBudget(budget, configId);
  }
  for (const row of rows.modelConfigs) await upsertById('model_configs', row);
  for (const row of rows.providers) {
    const { name, ...fields } = row;
    await attempt(`provider ${name}`, () =>
      db
        .insertInto('providers')
        // A row of limits only: the provider's settings and keys stay the config file's.
        .values({ ...row, config: '{}', governance_only: true })
        .onConflict((c) => c.column('name').doUpdateSet(fields))
        .execute(),
    );
  }
}
