import type { CounterWindow } from '../durations/reset-window.js';
import { windowEnd, windowStart } from '../durations/reset-window.js';
import type { Admission, CounterCheck, Counters, CounterUsage, Reservation } from './counters.js';
import { admission, refusal } from './counters.js';

/** Options of {@link MemoryCounters}. */
export interface MemoryCountersOptions {
  /** The time source, epoch ms. @default Date.now */
  clock?: () => number;
  /** How long an unsettled reservation keeps counting. @default 300_000 (5 minutes) */
  reservationTtlMs?: number;
  /** Prefix of reservation ids, to tell instances apart in logs. @default 'm' */
  idPrefix?: string;
}

interface CounterState {
  windowStart: number;
  windowEnd: number;
  used: number;
  reserved: number;
  /** Pending reservations and the amount each holds here, in the order they expire (one TTL for all). */
  pending: Map<Reservation, number> | undefined;
}

const sweepIntervalMs = 60_000;

/**
 * Counters in this process's memory: one gateway instance, or the local fallback of {@link RedisCounters}.
 * Every call answers synchronously. Idle counters are dropped once their window has passed.
 */
export class MemoryCounters implements Counters {
  readonly #clock: () => number;
  readonly #reservationTtlMs: number;
  readonly #idPrefix: string;
  readonly #states = new Map<string, CounterState>();
  #sequence = 0;
  #nextSweep: number;

  constructor({ clock = Date.now, reservationTtlMs = 300_000, idPrefix = 'm' }: MemoryCountersOptions = {}) {
    this.#clock = clock;
    this.#reservationTtlMs = reservationTtlMs;
    this.#idPrefix = idPrefix;
    this.#nextSweep = clock() + sweepIntervalMs;
  }

  consumeRequest(key: string, limit: number, window: CounterWindow): Admission {
    return this.consume([{ key, limit, window, amount: 1 }]);
  }

  consume(checks: readonly CounterCheck[]): Admission {
    return this.#admit(checks, false);
  }

  reserve(checks: readonly CounterCheck[]): Admission {
    return this.#admit(checks, true);
  }

  settle(reservation: Reservation, actual: readonly number[]): void {
    const now = this.#clock();
    reservation.checks.forEach((check, index) => {
      const state = this.#state(check.key, check.window, now);
      this.#unhold(state, reservation);
      state.used += actual[index] ?? check.amount;
    });
  }

  release(reservation: Reservation): void {
    const now = this.#clock();
    for (const check of reservation.checks)
      this.#unhold(this.#state(check.key, check.window, now), reservation);
  }

  charge(key: string, window: CounterWindow, amount: number): void {
    this.#state(key, window, this.#clock()).used += amount;
  }

  seed(key: string, window: CounterWindow, amount: number): void {
    const state = this.#state(key, window, this.#clock());
    // Untouched in this window: nothing counted yet and nothing held.
    if (state.used === 0 && state.pending === undefined) state.used = amount;
  }

  usage(key: string, window: CounterWindow): CounterUsage {
    const state = this.#state(key, window, this.#clock());
    return {
      used: state.used,
      reserved: state.reserved,
      windowStart: state.windowStart,
      resetAt: state.windowEnd,
    };
  }

  async close(): Promise<void> {
    this.#states.clear();
  }

  #admit(checks: readonly CounterCheck[], reserve: boolean): Admission {
    const now = this.#clock();
    if (now >= this.#nextSweep) this.#sweep(now);
    let tightest = 0;
    let tightestRemaining = Number.POSITIVE_INFINITY;
    for (let index = 0; index < checks.length; index++) {
      const check = checks[index] as CounterCheck;
      const state = this.#state(check.key, check.window, now);
      if (state.used + state.reserved >= check.limit) {
        return refusal(checks, index, state.windowEnd);
      }
      const remaining = check.limit - state.used - state.reserved - check.amount;
      if (remaining < tightestRemaining) {
        tightest = index;
        tightestRemaining = remaining;
      }
    }
    const reservation = reserve
      ? { id: `${this.#idPrefix}${++this.#sequence}`, checks, expiresAt: now + this.#reservationTtlMs }
      : undefined;
    let resetAt = 0;
    for (let index = 0; index < checks.length; index++) {
      const check = checks[index] as CounterCheck;
      // Looked up again rather than kept from the first pass, which would allocate an array per admission.
      const state = this.#states.get(check.key) as CounterState;
      if (reservation === undefined) state.used += check.amount;
      else {
        state.pending ??= new Map();
        state.pending.set(reservation, check.amount);
        state.reserved += check.amount;
      }
      if (index === tightest) resetAt = state.windowEnd;
    }
    return admission(checks, tightest, tightestRemaining, resetAt, reservation);
  }

  /** The key's state in the window holding `now`, rolled over and with expired reservations dropped. */
  #state(key: string, window: CounterWindow, now: number): CounterState {
    let state = this.#states.get(key);
    if (state === undefined) {
      const start = windowStart(now, window.duration, window.mode, window.anchor);
      state = {
        windowStart: start,
        windowEnd: windowEnd(start, window.duration, window.mode),
        used: 0,
        reserved: 0,
        pending: undefined,
      };
      this.#states.set(key, state);
      return state;
    }
    if (now >= state.windowEnd) {
      // Usage starts again; reservations still in flight carry over and are charged to the new window.
      state.windowStart = windowStart(now, window.duration, window.mode, window.anchor);
      state.windowEnd = windowEnd(state.windowStart, window.duration, window.mode);
      state.used = 0;
    }
    if (state.pending !== undefined) this.#expire(state, now);
    return state;
  }

  #expire(state: CounterState, now: number): void {
    const pending = state.pending as Map<Reservation, number>;
    for (const [reservation, amount] of pending) {
      if (reservation.expiresAt > now) return;
      pending.delete(reservation);
      state.reserved -= amount;
    }
    // Emptied: reset exactly, so that float dollars leave no residue.
    state.reserved = 0;
    state.pending = undefined;
  }

  #unhold(state: CounterState, reservation: Reservation): void {
    const amount = state.pending?.get(reservation);
    if (amount === undefined) return; // already settled, released or expired
    (state.pending as Map<Reservation, number>).delete(reservation);
    state.reserved -= amount;
    if (state.pending?.size === 0) {
      state.pending = undefined;
      state.reserved = 0;
    }
  }

  #sweep(now: number): void {
    this.#nextSweep = now + sweepIntervalMs;
    for (const [key, state] of this.#states) {
      if (state.windowEnd <= now && state.pending === undefined) this.#states.delete(key);
    }
  }
}
