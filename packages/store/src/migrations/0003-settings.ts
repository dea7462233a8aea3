import { type Kysely, sql } from 'kysely';

/**
 * Gateway-wide settings changed through the management API (`PUT /api/config`): the client and framework config as
 * sent, the admin account (password hashed), and the secret session tokens are signed with. One JSON value per
 * key, so a new setting needs no migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (column) => column.primaryKey())
    .addColumn('value', 'jsonb', (column) => column.notNull())
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .execute();
}
