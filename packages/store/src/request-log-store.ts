import type { Insertable, Selectable } from 'kysely';
import type { RequestLogTable } from './database.js';
import { type Page, pageLimit, toPage } from './keyset-page.js';
import { type RepositoryContext, toJson } from './repository-context.js';
import { StoreError } from './store-error.js';

/** A stored request log. */
export type RequestLog = Selectable<RequestLogTable>;

/** A request log to write; `id` defaults to a generated UUID v7, JSON fields are plain values. */
export type NewRequestLog = Omit<
  Insertable<RequestLogTable>,
  'id' | 'dimensions' | 'request_body' | 'response_body'
> & {
  id?: string;
  dimensions?: Record<string, string>;
  request_body?: unknown;
  response_body?: unknown;
};

/** Listing options: newest first, optionally within a time range. */
export interface RequestLogListOptions {
  /** The `next` cursor of the previous page. */
  after?: string;
  /**
   * Rows per page, clamped to 1..1000.
   * @default 100
   */
  limit?: number;
  /** Only logs at or after this time. */
  from?: Date;
  /** Only logs before this time. */
  to?: Date;
}

/** Rows per insert statement: 26 columns each stays well under Postgres's 65,535 bind parameters. */
const insertChunkSize = 1000;

function encodeCursor(log: RequestLog): string {
  return Buffer.from(JSON.stringify([log.timestamp.toISOString(), log.id])).toString('base64url');
}

function decodeCursor(cursor: string): [Date, string] {
  try {
    const [timestamp, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(timestamp);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return [date, id];
  } catch (cause) {
    throw new StoreError('invalid_cursor', 'after is not a cursor this store issued', {
      field: 'after',
      cause,
    });
  }
}

function optionalJson(value: unknown): string | null {
  return value === undefined || value === null ? null : toJson(value);
}

/**
 * Request logs: appended in batches, read newest first by keyset on (`timestamp`, `id`), so a page deep in a large
 * table costs the same as the first.
 */
export class RequestLogStore {
  readonly #context: RepositoryContext;

  constructor(context: RepositoryContext) {
    this.#context = context;
  }

  /** Writes a batch of logs in one transaction; returns how many were written. */
  async insertMany(logs: readonly NewRequestLog[]): Promise<number> {
    if (logs.length === 0) return 0;
    const rows = logs.map((log) => ({
      ...log,
      id: log.id ?? this.#context.generateId(),
      dimensions: toJson(log.dimensions ?? {}),
      request_body: optionalJson(log.request_body),
      response_body: optionalJson(log.response_body),
    }));
    await this.#context.db.transaction().execute(async (transaction) => {
      for (let start = 0; start < rows.length; start += insertChunkSize) {
        await transaction
          .insertInto('request_logs')
          .values(rows.slice(start, start + insertChunkSize))
          .execute();
      }
    });
    return rows.length;
  }

  /** The log, or undefined. */
  get(id: string): Promise<RequestLog | undefined> {
    return this.#context.db.selectFrom('request_logs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Logs newest first, a page at a time. */
  async list(options: RequestLogListOptions = {}): Promise<Page<RequestLog>> {
    const limit = pageLimit(options.limit);
    let query = this.#context.db
      .selectFrom('request_logs')
      .selectAll()
      .orderBy('timestamp', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (options.from !== undefined) query = query.where('timestamp', '>=', options.from);
    if (options.to !== undefined) query = query.where('timestamp', '<', options.to);
    if (options.after !== undefined) {
      const [timestamp, id] = decodeCursor(options.after);
      query = query.where((eb) => eb(eb.refTuple('timestamp', 'id'), '<', eb.tuple(timestamp, id)));
    }
    return toPage(await query.execute(), limit, encodeCursor);
  }
}
