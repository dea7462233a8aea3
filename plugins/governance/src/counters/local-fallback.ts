import type { CounterWindow } from '../durations/reset-window.js';
import { windowEnd, windowStart } from '../durations/reset-window.js';
import type { Admission, CounterCheck, CounterUsage, Reservation } from './counters.js';
import { MemoryCounters } from './memory-counters.js';

/** Usage this instance owes Redis for one counter's window. */
export interface PendingCharge {
  key: string;
  windowStart: number;
  windowEnd: number;
  amount: number;
}

interface Snapshot {
  windowStart: number;
  total: number;
}

/**
 * What {@link RedisCounters} keeps locally: the last totals Redis reported, in-memory counters for an outage
 * (failing open), and the usage still to send to Redis. Only this instance's own deltas are ever sent, never
 * the seeded totals, so nothing is counted twice when Redis returns.
 */
export class LocalFallback {
  readonly #clock: () => number;
  readonly #reservationTtlMs: number;
  readonly #idPrefix: string;
  #counters: MemoryCounters | undefined;
  readonly #seeded = new Set<string>();
  readonly #snapshots = new Map<string, Snapshot>();
  readonly #pending = new Map<string, PendingCharge>();
  readonly #reservations = new WeakSet<Reservation>();

  constructor(clock: () => number, reservationTtlMs: number, idPrefix: string) {
    this.#clock = clock;
    this.#reservationTtlMs = reservationTtlMs;
    this.#idPrefix = idPrefix;
  }

  /** How many counters have usage waiting to be sent. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Records a total Redis reported, to seed the local counter if an outage starts in the same window. */
  snapshot(key: string, windowStart: number, total: number): void {
    const snapshot = this.#snapshots.get(key);
    if (snapshot === undefined) this.#snapshots.set(key, { windowStart, total });
    else {
      snapshot.windowStart = windowStart;
      snapshot.total = total;
    }
  }

  /** Whether a reservation was made locally, during an outage. */
  owns(reservation: Reservation): boolean {
    return this.#reservations.has(reservation);
  }

  /** Admits on local counters; what a plain consume takes is remembered for Redis. */
  admit(checks: readonly CounterCheck[], reserve: boolean, now: number): Admission {
    const counters = this.#local();
    for (const check of checks) {
      if (this.#seeded.has(check.key)) continue;
      this.#seeded.add(check.key);
      // Start from the last total Redis reported, so that one instance alone still keeps to the limit.
      const snapshot = this.#snapshots.get(check.key);
      const start = windowStart(now, check.window.duration, check.window.mode, check.window.anchor);
      if (snapshot !== undefined && snapshot.windowStart === start) {
        counters.charge(check.key, check.window, snapshot.total);
      }
    }
    const admission = reserve ? counters.reserve(checks) : counters.consume(checks);
    if (admission.reservation !== undefined) this.#reservations.add(admission.reservation);
    else if (admission.admitted) {
      for (const check of checks) this.remember(check.key, check.window, check.amount, now);
    }
    return admission;
  }

  /** Settles a local reservation: on the local counters if the outage lasts, and remembered for Redis. */
  settleLocal(reservation: Reservation, actual: readonly number[], now: number): void {
    this.#counters?.settle(reservation, actual);
    this.rememberAll(reservation, actual, now);
  }

  /** Charges the local counters while they are in use (during an outage). */
  chargeLocal(key: string, window: CounterWindow, amount: number): void {
    this.#counters?.charge(key, window, amount);
  }

  usage(key: string, window: CounterWindow): CounterUsage {
    return this.#local().usage(key, window);
  }

  /** Remembers usage to send to Redis once it answers. */
  remember(key: string, window: CounterWindow, amount: number, now: number): void {
    if (amount === 0) return;
    const start = windowStart(now, window.duration, window.mode, window.anchor);
    const pending = this.#pending.get(key);
    if (pending !== undefined && pending.windowStart === start) pending.amount += amount;
    else if (pending === undefined || pending.windowStart < start) {
      const end = windowEnd(start, window.duration, window.mode);
      this.#pending.set(key, { key, windowStart: start, windowEnd: end, amount });
    }
  }

  rememberAll(reservation: Reservation, actual: readonly number[], now: number): void {
    for (let index = 0; index < reservation.checks.length; index++) {
      const check = reservation.checks[index] as CounterCheck;
      this.remember(check.key, check.window, actual[index] ?? check.amount, now);
    }
  }

  /** Hands over the charges whose window is still current, forgetting them (and the rest). */
  takeCharges(now: number): PendingCharge[] {
    const charges = [...this.#pending.values()].filter((charge) => charge.windowEnd > now);
    this.#pending.clear();
    return charges;
  }

  /** Puts back charges that could not be sent. */
  restoreCharges(charges: readonly PendingCharge[]): void {
    for (const charge of charges) {
      const pending = this.#pending.get(charge.key);
      if (pending === undefined) this.#pending.set(charge.key, charge);
      else if (pending.windowStart === charge.windowStart) pending.amount += charge.amount;
    }
  }

  /** Drops the local counters when Redis is back: from then on Redis is the count again. */
  endOutage(): void {
    this.#counters = undefined;
    this.#seeded.clear();
  }

  #local(): MemoryCounters {
    this.#counters ??= new MemoryCounters({
      clock: this.#clock,
      reservationTtlMs: this.#reservationTtlMs,
      idPrefix: this.#idPrefix,
    });
    return this.#counters;
  }
}
