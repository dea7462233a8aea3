import type { Kysely } from 'kysely';
import type { Database } from './database.js';

/** What every repository is built from: the query builder and the injected clock and id generator. */
export interface RepositoryContext {
  db: Kysely<Database>;
  /** The time written to `created_at`, `updated_at` and reset timestamps. */
  now: () => Date;
  /** A new text id (UUID v7 by default, so ids sort by creation time). */
  generateId: () => string;
}

/** Tables whose primary key is a text `id`, which the shared helpers below work on. */
export type TextIdTable =
  | 'rate_limits'
  | 'budgets'
  | 'customers'
  | 'teams'
  | 'virtual_keys'
  | 'model_configs'
  | 'pricing_overrides';

/** JSON for a `jsonb` column: both drivers send it as text and the column's type converts it. */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}
