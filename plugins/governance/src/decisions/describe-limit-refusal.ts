import type { LimitCounter, LimitOwner } from '../state/governance-snapshot.js';
import type { LimitDecision } from './governance-error.js';

/** A counter's usage (used plus reserved) as read after it refused. */
export interface ReadUsage {
  readonly counter: LimitCounter;
  readonly used: number;
}

function formatDollars(amount: number): string {
  // Upstream prints `%.4f`; trailing zeros are trimmed to one decimal as its docs show them (`105.5 >= 100.0`).
  const fixed = amount.toFixed(4).replace(/0+$/, '');
  return fixed.endsWith('.') ? `${fixed}0` : fixed;
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
