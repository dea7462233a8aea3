import type { CounterWindow } from '../durations/reset-window.js';

/** A value that is there now, or a promise of it: in-memory counters answer synchronously. */
export type MaybePromise<T> = T | Promise<T>;

/** One limit to check for a request: a named counter, its limit and window, and how much this request takes. */
export interface CounterCheck {
  /** Names the counter, e.g. `vk:<id>:requests` or `team:<id>:budget:1M`; one window per key. */
  readonly key: string;
  /** The maximum per window. A request is admitted while usage (used plus reserved) is below it. */
  readonly limit: number;
  readonly window: CounterWindow;
  /** What this request consumes or reserves: 1 for a request counter, an estimate for tokens or dollars. */
  readonly amount: number;
}

/**
 * An amount held on one or more counters until the real figure is known. Settle it with
 * {@link Counters.settle}, or give it back with {@link Counters.release}; one never settled expires at
 * `expiresAt` and stops counting.
 */
export interface Reservation {
  readonly id: string;
  readonly checks: readonly CounterCheck[];
  /** Epoch ms after which an unsettled reservation no longer counts. */
  readonly expiresAt: number;
}

/**
 * The answer to an admission. When refused, `index` names the check that refused and nothing was consumed
 * on any counter. When admitted, `index` names the tightest check (least remaining), whose figures suit the
 * `x-ratelimit-*` headers.
 */
export interface Admission {
  readonly admitted: boolean;
  /** The refusing check's index, or the tightest check's when admitted. */
  readonly index: number;
  readonly limit: number;
  /** What is left of that check's limit after this admission, never below 0. */
  readonly remaining: number;
  /** Epoch ms when that check's window resets (for `Retry-After` and `x-ratelimit-reset`). */
  readonly resetAt: number;
  /** Set when `reserve` admitted the request. */
  readonly reservation: Reservation | undefined;
}

/** Usage of one counter in its current window. */
export interface CounterUsage {
  readonly used: number;
  readonly reserved: number;
  readonly windowStart: number;
  readonly resetAt: number;
}

/** What the counters do when their shared store cannot be reached: admit on local counts, or refuse. */
export type FailMode = 'open' | 'closed';

/**
 * Request, token and budget counters with windows. Every multi-check call is all-or-nothing: if one check
 * refuses, no counter changes. A check refuses when its counter's used plus reserved amount has reached the
 * limit (upstream's `>=` pre-check), so a request limit of N admits exactly N per window, and a budget can be
 * overspent by at most the last admitted request's estimate (plus its real cost above the estimate).
 */
export interface Counters {
  /** Counts one request against a single request limit. */
  consumeRequest(key: string, limit: number, window: CounterWindow): MaybePromise<Admission>;
  /** Checks every counter and, when all admit, adds each check's amount to its counter. */
  consume(checks: readonly CounterCheck[]): MaybePromise<Admission>;
  /** Checks every counter and, when all admit, holds each check's amount until settled or expired. */
  reserve(checks: readonly CounterCheck[]): MaybePromise<Admission>;
  /**
   * Replaces a reservation's held amounts by what the request really used (`actual[i]` for `checks[i]`),
   * charged to the current window. Never rejects: an answer that cannot be recorded now is recorded later.
   */
  settle(reservation: Reservation, actual: readonly number[]): MaybePromise<void>;
  /** Gives a reservation back without charging anything (the request was refused or failed with no usage). */
  release(reservation: Reservation): MaybePromise<void>;
  /** Adds usage without checking the limit, e.g. tokens reported by an answer nobody reserved for. */
  charge(key: string, window: CounterWindow, amount: number): MaybePromise<void>;
  /**
   * Starts a counter's current window at `amount`, a durable copy of its usage (a restart's way back to where it
   * was), unless the counter already holds that window: several instances seeding the same counter count it once.
   */
  seed(key: string, window: CounterWindow, amount: number): MaybePromise<void>;
  /** Reads a counter's usage in its current window. */
  usage(key: string, window: CounterWindow): MaybePromise<CounterUsage>;
  /** Releases timers and connections. */
  close(): Promise<void>;
}

/** The shared counter store cannot be reached and the counters fail closed. */
export class CountersUnavailableError extends Error {
  override readonly name = 'CountersUnavailableError';
  /** Epoch ms when the outage began. */
  readonly since: number;

  constructor(since: number, options?: { cause?: unknown }) {
    super('the shared counter store (Redis) is unreachable and governance fails closed', options);
    this.since = since;
  }
}

/** The answer when `checks[index]` refused: nothing consumed, nothing remaining until `resetAt`. */
export function refusal(checks: readonly CounterCheck[], index: number, resetAt: number): Admission {
  const limit = (checks[index] as CounterCheck).limit;
  return { admitted: false, index, limit, remaining: 0, resetAt, reservation: undefined };
}

/** The answer when every check admitted; `index` is the tightest one, with `remaining` left after this one. */
export function admission(
  checks: readonly CounterCheck[],
  index: number,
  remaining: number,
  resetAt: number,
  reservation: Reservation | undefined,
): Admission {
  const limit = (checks[index] as CounterCheck).limit;
  return { admitted: true, index, limit, remaining: Math.max(0, remaining), resetAt, reservation };
}
