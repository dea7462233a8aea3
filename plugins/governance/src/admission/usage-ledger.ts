import type { LimitChain } from '../decisions/collect-limit-chain.js';
import { windowEnd, windowStart } from '../durations/reset-window.js';
import type { LimitCounter } from '../state/governance-snapshot.js';

/** Usage of one counter in one window, counted since the last flush. */
export interface LedgerEntry {
  readonly counter: LimitCounter;
  readonly windowStart: number;
  readonly windowEnd: number;
  amount: number;
}

/**
 * Usage this instance charged since the last flush to the store, summed per counter and window. Recording is a map
 * update per counter; the store sees one batch every few seconds.
 */
export class UsageLedger {
  #entries = new Map<string, LedgerEntry>();

  /** Adds an answer's amounts (`amounts[i]` for `chain.counters[i]`), dated `now`. */
  record(chain: LimitChain, amounts: readonly number[], now: number): void {
    for (let index = 0; index < chain.counters.length; index++) {
      const amount = amounts[index] as number;
      if (amount === 0) continue;
      const counter = chain.counters[index] as LimitCounter;
      let entry = this.#entries.get(counter.key);
      if (entry !== undefined && now >= entry.windowEnd) {
        // The window rolled since the entry began: its usage no longer counts anywhere.
        entry = undefined;
      }
      if (entry === undefined) {
        const { duration, mode, anchor } = counter.window;
        const start = windowStart(now, duration, mode, anchor);
        entry = { counter, windowStart: start, windowEnd: windowEnd(start, duration, mode), amount: 0 };
        this.#entries.set(counter.key, entry);
      }
      entry.amount += amount;
    }
  }

  /** Whether anything waits to be flushed. */
  get isEmpty(): boolean {
    return this.#entries.size === 0;
  }

  /** Takes everything recorded so far, leaving the ledger empty; entries whose window has ended are dropped. */
  drain(now: number): LedgerEntry[] {
    const entries = [...this.#entries.values()].filter((entry) => now < entry.windowEnd);
    this.#entries = new Map();
    return entries;
  }

  /** Puts entries back after a failed flush, adding to whatever was recorded meanwhile. */
  restore(entries: readonly LedgerEntry[]): void {
    for (const entry of entries) {
      const current = this.#entries.get(entry.counter.key);
      if (current === undefined) this.#entries.set(entry.counter.key, { ...entry });
      else if (current.windowStart === entry.windowStart) current.amount += entry.amount;
    }
  }
}
