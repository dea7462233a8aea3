import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from './database.js';
import type { RepositoryContext, TextIdTable } from './repository-context.js';

/**
 * Offset paging with a total and a name search, as upstream's management API pages its lists (`limit`, `offset`,
 * `search`, `total_count`). Keyset paging (`list`) stays the choice for walking a whole table; this serves screens
 * and tools that ask for page N of a filtered list.
 */
export interface OffsetSearchOptions {
  /** Rows to skip. @default 0 */
  offset?: number;
  /** Rows to return; undefined returns every row from `offset` on. */
  limit?: number;
  /** A case-insensitive substring of the searched column (`name` by default). */
  search?: string;
  /** Exact-match filters on other columns; undefined values are ignored. */
  filter?: Readonly<Record<string, string | undefined>>;
}

/** One page of an offset search, and how many rows match in all. */
export interface OffsetSearchResult<T> {
  items: T[];
  total: number;
}

interface NamedRows {
  rows: { id: string; name: string };
}

/** Escapes LIKE's wildcards so a search for `50%` finds that text. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** Rows of `table` in id order (creation order for UUID v7 ids) that match the search and filters. */
export async function searchById<T extends TextIdTable>(
  context: RepositoryContext,
  table: T,
  options: OffsetSearchOptions,
  searchColumn = 'name',
): Promise<OffsetSearchResult<Selectable<Database[T]>>> {
  const db = context.db as unknown as Kysely<NamedRows>;
  let query = db.selectFrom(table as 'rows');
  if (options.search) {
    query = query.where(sql.ref(searchColumn), 'ilike', likePattern(options.search));
  }
  for (const [column, value] of Object.entries(options.filter ?? {})) {
    if (value !== undefined) query = query.where(column as 'id', '=', value);
  }
  const counted = await query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirst();
  let rows = query
    .selectAll()
    .orderBy('id')
    .offset(options.offset ?? 0);
  if (options.limit !== undefined) rows = rows.limit(options.limit);
  const items = (await rows.execute()) as Selectable<Database[T]>[];
  return { items, total: Number(counted?.total ?? 0) };
}

/** The rows with these ids, in id order; unknown ids are skipped. */
export async function getManyById<T extends TextIdTable>(
  context: RepositoryContext,
  table: T,
  ids: readonly string[],
): Promise<Selectable<Database[T]>[]> {
  if (ids.length === 0) return [];
  const db = context.db as unknown as Kysely<NamedRows>;
  const rows = await db
    .selectFrom(table as 'rows')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .orderBy('id')
    .execute();
  return rows as Selectable<Database[T]>[];
}
