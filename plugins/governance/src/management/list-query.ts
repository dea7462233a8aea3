import { badRequest } from './management-error.js';

/** A list call's paging: every row, or one page with its filters. */
export type ListQuery =
  | { paged: false }
  | {
      paged: true;
      limit: number;
      offset: number;
      search: string | undefined;
      filters: Record<string, string>;
    };

const defaultLimit = 25;
const maxLimit = 100;

function nonNegativeInteger(url: URL, name: string): number | undefined {
  const text = url.searchParams.get(name);
  if (text === null || text === '') return undefined;
  if (!/^-?\d+$/.test(text)) throw badRequest(`Invalid ${name} parameter: must be a number`);
  const value = Number(text);
  if (value < 0) throw badRequest(`Invalid ${name} parameter: must be non-negative`);
  if (!Number.isSafeInteger(value)) throw badRequest(`Invalid ${name} parameter: too large`);
  return value;
}

/**
 * Upstream's list paging: any of `limit`, `offset`, `search` or a filter asks for a page (`limit` 25 by default,
 * clamped to 1..100); none of them asks for every row.
 */
export function readListQuery(url: URL, filterNames: readonly string[] = []): ListQuery {
  const limit = nonNegativeInteger(url, 'limit');
  const offset = nonNegativeInteger(url, 'offset');
  const search = url.searchParams.get('search') || undefined;
  const filters: Record<string, string> = {};
  for (const name of filterNames) {
    const value = url.searchParams.get(name);
    if (value) filters[name] = value;
  }
  if (
    limit === undefined &&
    offset === undefined &&
    search === undefined &&
    Object.keys(filters).length === 0
  ) {
    return { paged: false };
  }
  const clamped = limit === undefined || limit === 0 ? defaultLimit : Math.min(limit, maxLimit);
  return { paged: true, limit: clamped, offset: offset ?? 0, search, filters };
}

/** The list envelope upstream answers with: the rows under `key`, and `count`, `total_count`, `limit`, `offset`. */
export function listEnvelope(
  key: string,
  items: readonly unknown[],
  total: number,
  query: ListQuery,
): Record<string, unknown> {
  return {
    [key]: items,
    count: items.length,
    total_count: total,
    limit: query.paged ? query.limit : items.length,
    offset: query.paged ? query.offset : 0,
  };
}
