import type { Counters } from '../counters/counters.js';
import { windowStart } from '../durations/reset-window.js';
import type { GovernanceRows } from '../state/governance-rows.js';
import type { GovernanceSnapshot, LimitCounter } from '../state/governance-snapshot.js';

function time(value: Date | string): number {
  return typeof value === 'string' ? Date.parse(value) : value.getTime();
}

/**
 * Starts the counters from the usage the store kept, so a restart does not hand every budget a fresh window. Usage
 * stored for an earlier window is left behind, and a counter that already holds its window (Redis, still counting
 * for other instances) keeps what it has.
 */
export async function seedCounters(
  counters: Counters,
  snapshot: GovernanceSnapshot,
  rows: GovernanceRows,
  now: number,
): Promise<void> {
  const charge = async (counter: LimitCounter | undefined, used: number, lastReset: Date | string) => {
    if (counter === undefined || used <= 0) return;
    const { duration, mode, anchor } = counter.window;
    if (time(lastReset) < windowStart(now, duration, mode, anchor)) return;
    await counters.seed(counter.key, counter.window, used);
  };
  for (const row of rows.budgets)
    await charge(snapshot.budgets.get(row.id), row.current_usage, row.last_reset);
  for (const row of rows.rateLimits) {
    const limit = snapshot.rateLimits.get(row.id);
    await charge(limit?.tokens, row.token_current_usage, row.token_last_reset);
    await charge(limit?.requests, row.request_current_usage, row.request_last_reset);
  }
}
