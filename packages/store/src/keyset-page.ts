/** Where a list starts and how much it returns. */
export interface PageOptions {
  /** The `next` cursor of the previous page; omitted for the first page. */
  after?: string;
  /**
   * Rows per page, clamped to 1..1000.
   * @default 100
   */
  limit?: number;
}

/** One page of a keyset-paged list. */
export interface Page<T> {
  items: T[];
  /** Pass as `after` for the following page; undefined on the last page. */
  next: string | undefined;
}

/** The rows a page holds at most. */
export const maxPageLimit = 1000;

/** Clamps a requested page size to 1..{@link maxPageLimit}, 100 when none is asked for. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return 100;
  return Math.min(maxPageLimit, Math.max(1, Math.trunc(limit)));
}

/**
 * Builds a page from rows fetched with `limit + 1`: the extra row only tells that another page exists, so no
 * count query runs.
 */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => string): Page<T> {
  const items = rows.length > limit ? rows.slice(0, limit) : rows;
  const last = items.at(-1);
  return { items, next: rows.length > limit && last !== undefined ? cursorOf(last) : undefined };
}
