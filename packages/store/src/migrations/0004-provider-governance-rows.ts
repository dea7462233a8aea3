import type { Kysely } from 'kysely';

/**
 * Marks the provider rows the governance API makes only to hold deployment-wide limits
 * (`PUT /api/governance/providers/{name}` for a provider the config file configures). Such a row has no settings or
 * keys of its own, so whatever reads saved provider settings must skip it rather than let an empty entry replace
 * the config file's. Saving the provider's settings through the API turns it into an ordinary row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('providers')
    .addColumn('governance_only', 'boolean', (column) => column.notNull().defaultTo(false))
    .execute();
}
