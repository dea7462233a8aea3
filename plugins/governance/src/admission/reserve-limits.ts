import type { BifrostError } from '@bifrost/schemas';
import type { Admission, CounterCheck, Counters, MaybePromise, Reservation } from '../counters/counters.js';
import { CountersUnavailableError } from '../counters/counters.js';
import type { LimitChain } from '../decisions/collect-limit-chain.js';
import { describeLimitRefusal, type ReadUsage } from '../decisions/describe-limit-refusal.js';
import { governanceError, type RefusedTarget } from '../decisions/governance-error.js';
import { rateLimitHeaders } from '../decisions/rate-limit-headers.js';
import type { LimitCounter } from '../state/governance-snapshot.js';
import type { RequestEstimate } from './estimate-request.js';
import { isPromise } from './maybe-promise.js';

/** The outcome of reserving a request's limits: a reservation to settle, or the refusal to answer with. */
export type LimitAdmission =
  | { readonly admitted: true; readonly reservation: Reservation }
  | {
      readonly admitted: false;
      readonly error: BifrostError;
      readonly headers: Record<string, string>;
      /** The counter that refused and when it resets; absent when the counters could not be reached. */
      readonly counter?: LimitCounter;
      readonly resetAt?: number;
    };

/** What a request holds on each counter of its chain until its answer is known. */
export function reservationChecks(
  chain: LimitChain,
  estimate: RequestEstimate,
  estimatedCost: number,
): CounterCheck[] {
  const tokens = estimate.promptTokens + estimate.completionTokens;
  const checks: CounterCheck[] = new Array(chain.counters.length);
  for (let index = 0; index < chain.counters.length; index++) {
    const counter = chain.counters[index] as LimitCounter;
    const amount = counter.kind === 'requests' ? 1 : counter.kind === 'tokens' ? tokens : estimatedCost;
    checks[index] = { key: counter.key, limit: counter.limit, window: counter.window, amount };
  }
  return checks;
}

/**
 * Reserves a request on every counter of its chain in one atomic call: all admit, or none changes and the first
 * counter in chain order that refused is reported as upstream words it. A counter store that fails closed is
 * answered with 503 `governance_unavailable`.
 */
export function reserveLimits(
  counters: Counters,
  chain: LimitChain,
  checks: readonly CounterCheck[],
  target: RefusedTarget,
  now: number,
): MaybePromise<LimitAdmission> {
  let admission: MaybePromise<Admission>;
  try {
    admission = counters.reserve(checks);
  } catch (error) {
    return unavailable(error, target);
  }
  if (isPromise(admission)) {
    return admission.then(
      (answer) => afterAdmission(counters, chain, answer, target, now),
      (error: unknown) => unavailable(error, target),
    );
  }
  return afterAdmission(counters, chain, admission, target, now);
}

function afterAdmission(
  counters: Counters,
  chain: LimitChain,
  admission: Admission,
  target: RefusedTarget,
  now: number,
): MaybePromise<LimitAdmission> {
  if (admission.admitted) return { admitted: true, reservation: admission.reservation as Reservation };
  const counter = chain.counters[admission.index] as LimitCounter;
  const owner = chain.owners[admission.index] as LimitChain['owners'][number];
  const sibling = owner.counters.find(
    (other) => other.id === counter.id && other.kind !== counter.kind && other.kind !== 'budget',
  );
  const refuse = (used: number, siblingUsed: number | undefined): LimitAdmission => {
    const refused: ReadUsage = { counter, used };
    const other = sibling && siblingUsed !== undefined ? { counter: sibling, used: siblingUsed } : undefined;
    const { decision, message } = describeLimitRefusal(owner, refused, other);
    return {
      admitted: false,
      error: governanceError(decision, message, target, owner.scope === 'provider'),
      headers: rateLimitHeaders(counter.kind, admission.limit, 0, admission.resetAt, now),
      counter,
      resetAt: admission.resetAt,
    };
  };
  // Refusals are rare: reading usage again for the message costs nothing on the admitted path.
  const usage = readUsed(counters, counter);
  const siblingUsage = sibling && counter.kind !== 'budget' ? readUsed(counters, sibling) : undefined;
  if (isPromise(usage) || isPromise(siblingUsage)) {
    return Promise.all([usage, siblingUsage]).then(
      ([used, siblingUsed]) => refuse(used, siblingUsed),
      () => refuse(counter.limit, undefined),
    );
  }
  return refuse(usage, siblingUsage);
}

function readUsed(counters: Counters, counter: LimitCounter): MaybePromise<number> {
  const usage = counters.usage(counter.key, counter.window);
  return isPromise(usage) ? usage.then((read) => read.used + read.reserved) : usage.used + usage.reserved;
}

function unavailable(error: unknown, target: RefusedTarget): LimitAdmission {
  if (!(error instanceof CountersUnavailableError)) throw error;
  return {
    admitted: false,
    error: governanceError(
      'governance_unavailable',
      'governance cannot check limits: the shared counter store is unreachable and governance fails closed',
      target,
      false,
    ),
    headers: { 'retry-after': '1' },
  };
}
