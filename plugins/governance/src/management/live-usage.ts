import type { Budget, RateLimit } from '@bifrost/store';
import type { ManagementRoutesOptions } from './management-options.js';

/** Reads live counters, or undefined to show the store's copy. */
export type LiveUsageReader = ManagementRoutesOptions['liveUsage'];

/** A budget with the runtime's live usage laid over the store's copy. */
export async function withLiveBudget(budget: Budget, read: LiveUsageReader): Promise<Budget> {
  const live = await read?.('budget', budget.id);
  if (live === undefined) return budget;
  return {
    ...budget,
    ...(live.current_usage === undefined ? {} : { current_usage: live.current_usage }),
    ...(live.last_reset === undefined ? {} : { last_reset: new Date(live.last_reset) }),
  };
}

/** A rate limit with the runtime's live token and request counts laid over the store's copy. */
export async function withLiveRateLimit(rateLimit: RateLimit, read: LiveUsageReader): Promise<RateLimit> {
  const live = await read?.('rate_limit', rateLimit.id);
  if (live === undefined) return rateLimit;
  const overlay: Partial<RateLimit> = {};
  if (live.token_current_usage !== undefined) overlay.token_current_usage = live.token_current_usage;
  if (live.request_current_usage !== undefined) overlay.request_current_usage = live.request_current_usage;
  if (live.token_last_reset !== undefined) overlay.token_last_reset = new Date(live.token_last_reset);
  if (live.request_last_reset !== undefined) overlay.request_last_reset = new Date(live.request_last_reset);
  return { ...rateLimit, ...overlay };
}

/** True for `?from_memory=true`, upstream's switch to the live counters. */
export function wantsLiveUsage(url: URL): boolean {
  return url.searchParams.get('from_memory') === 'true';
}
