import type { LimitChain } from '../decisions/collect-limit-chain.js';
import type { LimitCounter } from '../state/governance-snapshot.js';

/** What one answer used, as governance counts it. */
export interface AnswerUsage {
  /** Whether the answer succeeded: only then does it count as a request. */
  readonly succeeded: boolean;
  /** Prompt plus completion tokens. */
  readonly tokens: number;
  /** USD; 0 when the model has no price. */
  readonly cost: number;
}

/**
 * The amounts an answer charges to each counter of its chain (`amounts[i]` for `chain.counters[i]`): one request
 * when it succeeded, its tokens, its cost. A failure that used tokens is billed for them but is no request.
 */
export function settledAmounts(chain: LimitChain, usage: AnswerUsage): number[] {
  const amounts: number[] = new Array(chain.counters.length);
  for (let index = 0; index < chain.counters.length; index++) {
    const kind = (chain.counters[index] as LimitCounter).kind;
    amounts[index] =
      kind === 'requests' ? (usage.succeeded ? 1 : 0) : kind === 'tokens' ? usage.tokens : usage.cost;
  }
  return amounts;
}
