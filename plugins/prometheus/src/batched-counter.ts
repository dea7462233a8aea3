import type { Counter } from 'prom-client';

/** One label tuple's count not yet handed to prom-client. */
export class PendingCount {
  /** Added since the last flush. */
  amount = 0;
  /** Whether the tuple has been counted at all, and so is in its counter's flush list. */
  private listed = false;
  readonly labels: Readonly<Record<string, string>>;
  private readonly pending: PendingCount[];

  constructor(labels: Readonly<Record<string, string>>, pending: PendingCount[]) {
    this.labels = labels;
    this.pending = pending;
  }

  /** Counts `amount` more (1 by default). */
  add(amount = 1): void {
    // Listing on the first count, not on creation, keeps the series in the order prom-client would have them.
    if (!this.listed) {
      this.listed = true;
      this.pending.push(this);
    }
    this.amount += amount;
  }
}

/**
 * Adds a counter's increments up in plain numbers and hands them to prom-client only when flushed, before a
 * scrape. prom-client builds, hashes and looks up a label string on every `inc`, which was most of the plugin's
 * per-request cost; the exported values are the same, since counts are whole numbers.
 */
export class BatchedCounter {
  private readonly pending: PendingCount[] = [];
  private readonly counter: Counter;

  constructor(counter: Counter) {
    this.counter = counter;
  }

  /** The pending count of `labels`; call once per label tuple and keep it. */
  child(labels: Readonly<Record<string, string>>): PendingCount {
    return new PendingCount(labels, this.pending);
  }

  /** Hands every pending count to the counter. */
  flush(): void {
    for (const count of this.pending) {
      if (count.amount === 0) continue;
      this.counter.inc(count.labels, count.amount);
      count.amount = 0;
    }
  }
}
