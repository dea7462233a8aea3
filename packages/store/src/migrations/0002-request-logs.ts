import { type Kysely, sql } from 'kysely';

/**
 * Request logs for the observability work: one row per request, append-only and read newest first. Paging is by
 * keyset on (`timestamp`, `id`), served by a b-tree; the BRIN index keeps time-range scans and retention deletes
 * cheap at millions of rows, since rows arrive in time order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('request_logs')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('timestamp', 'timestamptz', (column) => column.notNull())
    .addColumn('route', 'text', (column) => column.notNull().defaultTo(''))
    .addColumn('provider', 'text')
    .addColumn('model', 'text')
    .addColumn('stream', 'boolean', (column) => column.notNull().defaultTo(false))
    .addColumn('status', 'smallint', (column) => column.notNull())
    .addColumn('error_type', 'text')
    .addColumn('error_message', 'text')
    .addColumn('latency_ms', 'double precision')
    .addColumn('time_to_first_token_ms', 'double precision')
    .addColumn('input_tokens', 'integer')
    .addColumn('output_tokens', 'integer')
    .addColumn('cached_tokens', 'integer')
    .addColumn('reasoning_tokens', 'integer')
    // USD; null when the model has no price (never a silent 0).
    .addColumn('cost', 'double precision')
    .addColumn('retries', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('fallback_index', 'integer', (column) => column.notNull().defaultTo(0))
    // The provider key's id, never its value.
    .addColumn('key_id', 'text')
    .addColumn('virtual_key_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('dimensions', 'jsonb', (column) => column.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('request_body', 'jsonb')
    .addColumn('response_body', 'jsonb')
    .execute();
  await sql`create index request_logs_timestamp_id_index on request_logs ("timestamp" desc, id desc)`.execute(
    db,
  );
  await sql`create index request_logs_timestamp_brin on request_logs using brin ("timestamp")`.execute(db);
}
