import type { Counters, CounterUsage } from '../counters/counters.js';
import type { LiveUsage } from '../management/index.js';
import type { GovernanceSnapshot, LimitCounter } from '../state/governance-snapshot.js';

async function read(counters: Counters, counter: LimitCounter): Promise<CounterUsage> {
  return counters.usage(counter.key, counter.window);
}

/**
 * Reads a budget's or rate limit's counters as they stand now (used, not what is merely reserved), for the
 * management API's `from_memory=true`; undefined when the snapshot knows no such limit.
 */
export async function readLiveUsage(
  counters: Counters,
  snapshot: GovernanceSnapshot,
  kind: 'budget' | 'rate_limit',
  id: string,
): Promise<LiveUsage | undefined> {
  if (kind === 'budget') {
    const counter = snapshot.budgets.get(id);
    if (counter === undefined) return undefined;
    const usage = await read(counters, counter);
    return { current_usage: usage.used, last_reset: new Date(usage.windowStart).toISOString() };
  }
  const limit = snapshot.rateLimits.get(id);
  if (limit === undefined) return undefined;
  const live: LiveUsage = {};
  if (limit.tokens !== undefined) {
    const usage = await read(counters, limit.tokens);
    live.token_current_usage = usage.used;
    live.token_last_reset = new Date(usage.windowStart).toISOString();
  }
  if (limit.requests !== undefined) {
    const usage = await read(counters, limit.requests);
    live.request_current_usage = usage.used;
    live.request_last_reset = new Date(usage.windowStart).toISOString();
  }
  return live;
}
