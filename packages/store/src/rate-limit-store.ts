import type { Selectable } from 'kysely';
import type { RateLimitTable } from './database.js';
import type { RepositoryContext } from './repository-context.js';
import { TextIdRepository, updateById } from './text-id-rows.js';

/** A stored rate limit, as upstream's API shows it. */
export type RateLimit = Selectable<RateLimitTable>;

/** The limits a new rate limit is created with; usage starts at zero. */
export interface NewRateLimit {
  token_max_limit?: number | null;
  token_reset_duration?: string | null;
  request_max_limit?: number | null;
  request_reset_duration?: string | null;
}

/** Fields an update may change; the usage fields are for corrections, the hot path uses `applyUsageDeltas`. */
export type RateLimitPatch = NewRateLimit &
  Partial<
    Pick<
      RateLimit,
      'token_current_usage' | 'request_current_usage' | 'token_last_reset' | 'request_last_reset'
    >
  >;

/** Rate limits: token and request caps with reset windows, owned by virtual keys, teams, customers and providers. */
export class RateLimitStore extends TextIdRepository<'rate_limits', RateLimitPatch> {
  constructor(context: RepositoryContext) {
    super(context, 'rate_limits');
  }

  /** Creates a rate limit with zero usage and both windows starting now. */
  async create(input: NewRateLimit): Promise<RateLimit> {
    const now = this.context.now();
    return this.context.db
      .insertInto('rate_limits')
      .values({
        id: this.context.generateId(),
        token_max_limit: input.token_max_limit ?? null,
        token_reset_duration: input.token_reset_duration ?? null,
        request_max_limit: input.request_max_limit ?? null,
        request_reset_duration: input.request_reset_duration ?? null,
        token_last_reset: now,
        request_last_reset: now,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Zeroes the token and/or request counter and restarts that window at `at`. */
  async resetUsage(
    id: string,
    counters: { tokens?: boolean; requests?: boolean },
    at: Date = this.context.now(),
  ): Promise<RateLimit | undefined> {
    return updateById(this.context, 'rate_limits', id, {
      ...(counters.tokens ? { token_current_usage: 0, token_last_reset: at } : {}),
      ...(counters.requests ? { request_current_usage: 0, request_last_reset: at } : {}),
    });
  }
}
