import { type Kysely, sql } from 'kysely';

/**
 * The config tables: governance (budgets, rate limits, customers, teams, virtual keys and their provider configs,
 * model configs), providers with their keys, and pricing overrides. Columns follow upstream Bifrost's JSON field
 * names, so a row is the shape its management API returns. Constraint names are fixed because
 * `map-database-error.ts` turns them into the field a conflict names.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;

  await db.schema
    .createTable('rate_limits')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('token_max_limit', 'bigint')
    .addColumn('token_reset_duration', 'text')
    .addColumn('token_current_usage', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('token_last_reset', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addColumn('request_max_limit', 'bigint')
    .addColumn('request_reset_duration', 'text')
    .addColumn('request_current_usage', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('request_last_reset', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('rate_limit_id', 'text')
    .addColumn('calendar_aligned', 'boolean', (column) => column.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addForeignKeyConstraint('customers_rate_limit_id_fkey', ['rate_limit_id'], 'rate_limits', ['id'], (c) =>
      c.onDelete('set null'),
    )
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('rate_limit_id', 'text')
    .addColumn('calendar_aligned', 'boolean', (column) => column.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addForeignKeyConstraint('teams_customer_id_fkey', ['customer_id'], 'customers', ['id'], (c) =>
      c.onDelete('set null'),
    )
    .addForeignKeyConstraint('teams_rate_limit_id_fkey', ['rate_limit_id'], 'rate_limits', ['id'], (c) =>
      c.onDelete('set null'),
    )
    .execute();

  await db.schema
    .createTable('virtual_keys')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('description', 'text', (column) => column.notNull().defaultTo(''))
    // Upstream stores and returns the value (GET shows `value: "sk-bf-…"`), so it is kept, unique, to look up.
    .addColumn('value', 'text', (column) => column.notNull())
    .addColumn('is_active', 'boolean', (column) => column.notNull().defaultTo(true))
    .addColumn('team_id', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('rate_limit_id', 'text')
    .addColumn('calendar_aligned', 'boolean', (column) => column.notNull().defaultTo(false))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('delete_after_expire', 'boolean', (column) => column.notNull().defaultTo(false))
    .addColumn('allow_all_providers', 'boolean', (column) => column.notNull().defaultTo(false))
    // Tri-state as upstream: null inherits the global setting.
    .addColumn('disable_content_logging', 'boolean')
    .addColumn('mcp_configs', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('config_hash', 'text', (column) => column.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addUniqueConstraint('virtual_keys_name_key', ['name'])
    .addUniqueConstraint('virtual_keys_value_key', ['value'])
    .addForeignKeyConstraint('virtual_keys_team_id_fkey', ['team_id'], 'teams', ['id'], (c) =>
      c.onDelete('set null'),
    )
    .addForeignKeyConstraint('virtual_keys_customer_id_fkey', ['customer_id'], 'customers', ['id'], (c) =>
      c.onDelete('set null'),
    )
    .addForeignKeyConstraint(
      'virtual_keys_rate_limit_id_fkey',
      ['rate_limit_id'],
      'rate_limits',
      ['id'],
      (c) => c.onDelete('set null'),
    )
    .addCheckConstraint('virtual_keys_one_owner_check', sql`team_id is null or customer_id is null`)
    .execute();
  await db.schema.createIndex('virtual_keys_team_id_index').on('virtual_keys').column('team_id').execute();
  await db.schema
    .createIndex('virtual_keys_customer_id_index')
    .on('virtual_keys')
    .column('customer_id')
    .execute();

  await db.schema
    .createTable('vk_provider_configs')
    // Upstream's provider configs have integer ids (`"id": 1`).
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('virtual_key_id', 'text', (column) => column.notNull())
    .addColumn('provider', 'text', (column) => column.notNull())
    // Null leaves the provider out of weighted routing.
    .addColumn('weight', 'double precision')
    .addColumn('allowed_models', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('blacklisted_models', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('key_ids', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('rate_limit_id', 'text')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addUniqueConstraint('vk_provider_configs_provider_key', ['virtual_key_id', 'provider'])
    .addForeignKeyConstraint(
      'vk_provider_configs_virtual_key_id_fkey',
      ['virtual_key_id'],
      'virtual_keys',
      ['id'],
      (c) => c.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'vk_provider_configs_rate_limit_id_fkey',
      ['rate_limit_id'],
      'rate_limits',
      ['id'],
      (c) => c.onDelete('set null'),
    )
    .execute();

  await db.schema
    .createTable('budgets')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('max_limit', 'double precision', (column) => column.notNull())
    .addColumn('reset_duration', 'text', (column) => column.notNull())
    .addColumn('current_usage', 'double precision', (column) => column.notNull().defaultTo(0))
    .addColumn('last_reset', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addColumn('override_amount', 'double precision')
    .addColumn('override_mode', 'text')
    .addColumn('override_cycles', 'integer')
    // A budget hangs off a virtual key or one of its provider configs (upstream's `budgets` arrays); teams,
    // customers, providers and model configs point at theirs through `budget_id`.
    .addColumn('virtual_key_id', 'text')
    .addColumn('provider_config_id', 'integer')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addForeignKeyConstraint('budgets_virtual_key_id_fkey', ['virtual_key_id'], 'virtual_keys', ['id'], (c) =>
      c.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'budgets_provider_config_id_fkey',
      ['provider_config_id'],
      'vk_provider_configs',
      ['id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
  // Upstream refuses two budgets with the same reset_duration on one owner.
  await sql`create unique index budgets_owner_reset_duration_key on budgets
    (virtual_key_id, provider_config_id, reset_duration) nulls not distinct
    where virtual_key_id is not null or provider_config_id is not null`.execute(db);

  // Budgets come after the tables that own them, so teams and customers get their budget_id here; Postgres names
  // the constraints `teams_budget_id_fkey` and `customers_budget_id_fkey`.
  for (const table of ['customers', 'teams'] as const) {
    await db.schema
      .alterTable(table)
      .addColumn('budget_id', 'text', (column) => column.references('budgets.id').onDelete('set null'))
      .execute();
  }

  await db.schema
    .createTable('providers')
    .addColumn('name', 'text', (column) => column.primaryKey())
    // network_config, concurrency_and_buffer_size, proxy_config, meta_config, send_back_raw_response: the config
    // file's provider entry without its keys.
    .addColumn('config', 'jsonb', (column) => column.notNull().defaultTo(sql`'{}'::jsonb`))
    // Deployment-wide governance for the provider (`/api/governance/providers/{name}`).
    .addColumn('budget_id', 'text')
    .addColumn('rate_limit_id', 'text')
    .addColumn('calendar_aligned', 'boolean', (column) => column.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addForeignKeyConstraint('providers_budget_id_fkey', ['budget_id'], 'budgets', ['id'], (c) =>
      c.onDelete('set null'),
    )
    .addForeignKeyConstraint('providers_rate_limit_id_fkey', ['rate_limit_id'], 'rate_limits', ['id'], (c) =>
      c.onDelete('set null'),
    )
    .execute();

  await db.schema
    .createTable('provider_keys')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('provider', 'text', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    // The secret or an `env.VAR` reference, as the config file holds it.
    .addColumn('value', 'text', (column) => column.notNull())
    .addColumn('models', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('blacklisted_models', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('weight', 'double precision', (column) => column.notNull().defaultTo(1))
    .addColumn('enabled', 'boolean', (column) => column.notNull().defaultTo(true))
    // Provider-specific key settings (Azure deployments, Vertex and Bedrock credentials).
    .addColumn('config', 'jsonb', (column) => column.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addUniqueConstraint('provider_keys_provider_name_key', ['provider', 'name'])
    .addForeignKeyConstraint('provider_keys_provider_fkey', ['provider'], 'providers', ['name'], (c) =>
      c.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('model_configs')
    .addColumn('id', 'text', (column) => column.primaryKey())
    // `*` matches every model.
    .addColumn('model_name', 'text', (column) => column.notNull())
    .addColumn('provider', 'text')
    .addColumn('scope', 'text', (column) => column.notNull().defaultTo('global'))
    .addColumn('scope_id', 'text')
    .addColumn('budget_id', 'text')
    .addColumn('rate_limit_id', 'text')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addForeignKeyConstraint('model_configs_budget_id_fkey', ['budget_id'], 'budgets', ['id'], (c) =>
      c.onDelete('set null'),
    )
    .addForeignKeyConstraint(
      'model_configs_rate_limit_id_fkey',
      ['rate_limit_id'],
      'rate_limits',
      ['id'],
      (c) => c.onDelete('set null'),
    )
    .execute();
  await sql`create unique index model_configs_scope_key on model_configs
    (model_name, provider, scope, scope_id) nulls not distinct`.execute(db);

  await db.schema
    .createTable('pricing_overrides')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('scope_kind', 'text', (column) => column.notNull())
    .addColumn('provider_id', 'text')
    .addColumn('match_type', 'text', (column) => column.notNull())
    .addColumn('pattern', 'text', (column) => column.notNull())
    .addColumn('request_types', 'jsonb', (column) => column.notNull().defaultTo(sql`'[]'::jsonb`))
    // Price fields that replace the catalog's (input_cost_per_token, output_cost_per_token, …).
    .addColumn('patch', 'jsonb', (column) => column.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(now))
    .addUniqueConstraint('pricing_overrides_name_key', ['name'])
    .execute();
}
