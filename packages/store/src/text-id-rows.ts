import type { Kysely, Selectable } from 'kysely';
import type { Database } from './database.js';
import { type Page, type PageOptions, pageLimit, toPage } from './keyset-page.js';
import {
  getManyById,
  type OffsetSearchOptions,
  type OffsetSearchResult,
  searchById,
} from './offset-search.js';
import type { RepositoryContext, TextIdTable } from './repository-context.js';

/**
 * Reads, lists and deletes by text id for any table that has one, so each repository keeps only what is its own.
 * The query builder cannot type a table chosen at run time, so these helpers see the tables through a narrow view
 * with just the `id` column, and callers name the row type.
 */
interface IdOnly {
  rows: { id: string };
}

function view(context: RepositoryContext): Kysely<IdOnly> {
  return context.db as unknown as Kysely<IdOnly>;
}

/** The row with this id, or undefined. */
export async function getById<T extends TextIdTable>(
  context: RepositoryContext,
  table: T,
  id: string,
): Promise<Selectable<Database[T]> | undefined> {
  const row = await view(context)
    .selectFrom(table as 'rows')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row as Selectable<Database[T]> | undefined;
}

/** A page of rows in id order (UUID v7 ids make that creation order); `filter` narrows the rows. */
export async function listById<T extends TextIdTable>(
  context: RepositoryContext,
  table: T,
  options: PageOptions,
  filter?: Partial<Record<string, string | null>>,
): Promise<Page<Selectable<Database[T]>>> {
  const limit = pageLimit(options.limit);
  let query = view(context)
    .selectFrom(table as 'rows')
    .selectAll()
    .orderBy('id')
    .limit(limit + 1);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  for (const [column, value] of Object.entries(filter ?? {})) {
    if (value === undefined) continue;
    const reference = column as 'id';
    query = value === null ? query.where(reference, 'is', null) : query.where(reference, '=', value);
  }
  const rows = (await query.execute()) as Selectable<Database[T]>[];
  return toPage(rows, limit, (row) => (row as { id: string }).id);
}

/** Deletes the row; false when there was none. */
export async function deleteById(
  context: RepositoryContext,
  table: TextIdTable,
  id: string,
): Promise<boolean> {
  const result = await view(context)
    .deleteFrom(table as 'rows')
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Applies `patch` and stamps `updated_at`; the updated row, or undefined when there is none with this id. */
export async function updateById<T extends TextIdTable>(
  context: RepositoryContext,
  table: T,
  id: string,
  patch: Record<string, unknown>,
): Promise<Selectable<Database[T]> | undefined> {
  const values = { ...patch, id: undefined, created_at: undefined, updated_at: context.now() };
  const row = await view(context)
    .updateTable(table as 'rows')
    .set(values as unknown as { id: string })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row as Selectable<Database[T]> | undefined;
}

/**
 * Get, list, update and delete for a table keyed by a text id; each repository adds its own `create` and whatever
 * else is particular to it.
 */
export abstract class TextIdRepository<T extends TextIdTable, Patch extends object> {
  protected readonly context: RepositoryContext;
  readonly #table: T;

  constructor(context: RepositoryContext, table: T) {
    this.context = context;
    this.#table = table;
  }

  /** The row with this id, or undefined. */
  get(id: string): Promise<Selectable<Database[T]> | undefined> {
    return getById(this.context, this.#table, id);
  }

  /** The rows with these ids, in creation order; unknown ids are skipped. */
  getMany(ids: readonly string[]): Promise<Selectable<Database[T]>[]> {
    return getManyById(this.context, this.#table, ids);
  }

  /** A page by offset with the total that match, searching `name` where the table has one. */
  search(options: OffsetSearchOptions = {}): Promise<OffsetSearchResult<Selectable<Database[T]>>> {
    return searchById(this.context, this.#table, options);
  }

  /** Rows in creation order (UUID v7 ids), a page at a time. */
  list(options: PageOptions = {}): Promise<Page<Selectable<Database[T]>>> {
    return listById(this.context, this.#table, options);
  }

  /** Changes the row and stamps `updated_at`; undefined when the id is unknown. */
  update(id: string, patch: Patch): Promise<Selectable<Database[T]> | undefined> {
    return updateById(this.context, this.#table, id, this.toColumns(patch));
  }

  /**
   * Deletes the row; false when there was none. Rows that refer to it are deleted with it (a virtual key's budgets
   * and provider configs) or keep a null reference (a team's customer), as the schema says.
   */
  delete(id: string): Promise<boolean> {
    return deleteById(this.context, this.#table, id);
  }

  /** The columns a patch writes; repositories with `jsonb` columns serialise them here. */
  protected toColumns(patch: Patch): Record<string, unknown> {
    return { ...(patch as Record<string, unknown>) };
  }
}
