import type { LimitCounter, LimitOwner } from '../state/governance-snapshot.js';
import type { LimitDecision } from './governance-error.js';

/** A counter's usage (used plus reserved) as read after it refused. */
export interface ReadUsage {
  readonly counter: LimitCounter;
  readonly used: number;
}

/** Dollars as upstream prints them (`%.4f`), trailing zeros trimmed to one decimal as its docs show them. */
export function formatDollars(amount: number): string {
  // Sub-cent budgets would all print as 0.0000: those keep two significant digits instead.
  const text = amount === 0 || Math.abs(amount) >= 0.0001 ? amount.toFixed(4) : amount.toPrecision(2);
  const trimmed = text.includes('e') ? text : text.replace(/0+$/, '');
  return trimmed.endsWith('.') ? `${trimmed}0` : trimmed;
}

function violation({ counter, used }: ReadUsage): string {
  const what = counter.kind === 'tokens' ? 'token' : 'request';
  return `${what} limit exceeded (${Math.round(used)}/${counter.limit}, resets every ${counter.resetDuration})`;
}

/**
 * Names and words a refusal as upstream does. A rate limit whose other counter (tokens beside requests) is spent
 * too is reported as `rate_limited` with both violations.
 *
 * @example 'Rate limit exceeded: rate limit violated for VK: [request limit exceeded (2/2, resets every 1m)]'
 * @example 'Budget exceeded: VK budget exceeded: 105.5 >= 100.0 dollars'
 */
export function describeLimitRefusal(
  owner: LimitOwner,
  refused: ReadUsage,
  sibling: ReadUsage | undefined,
): { decision: LimitDecision; message: string } {
  const { counter, used } = refused;
  if (counter.kind === 'budget') {
    return {
      decision: 'budget_exceeded',
      message: `Budget exceeded: ${owner.label} budget exceeded: ${formatDollars(used)} >= ${formatDollars(counter.limit)} dollars`,
    };
  }
  const both = sibling !== undefined && sibling.used >= sibling.counter.limit;
  // Upstream lists the token violation before the request one.
  const violations = !both
    ? [violation(refused)]
    : counter.kind === 'tokens'
      ? [violation(refused), violation(sibling)]
      : [violation(sibling), violation(refused)];
  const decision: LimitDecision = both
    ? 'rate_limited'
    : counter.kind === 'tokens'
      ? 'token_limited'
      : 'request_limited';
  return {
    decision,
    message: `Rate limit exceeded: rate limit violated for ${owner.label}: [${violations.join('; ')}]`,
  };
}
