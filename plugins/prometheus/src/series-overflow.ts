import type { BatchedCounter, PendingCount } from './batched-counter.js';

/** What a series counts into: a {@link PendingCount}, or one that also tallies an overflow. */
export interface Count {
  add(amount?: number): void;
}

/** What a series observes into: a histogram child, or one that also tallies an overflow. */
export interface Observer {
  observe(value: number): void;
}

/**
 * Tallies, per metric, the observations recorded in an overflow series, the one every label set beyond
 * `max_series_per_metric` is folded into. Only the overflow series' children are wrapped, so ordinary series pay
 * nothing for it.
 */
export class SeriesOverflow {
  private readonly tallies = new Map<string, PendingCount>();
  private readonly counter: BatchedCounter;

  /** @param counter batches `bifrost_metrics_series_overflow_total`, labelled by `metric` */
  constructor(counter: BatchedCounter) {
    this.counter = counter;
  }

  /** The pending tally of `metric`'s overflowed observations. */
  tally(metric: string): PendingCount {
    let tally = this.tallies.get(metric);
    if (tally === undefined) {
      tally = this.counter.child({ metric });
      this.tallies.set(metric, tally);
    }
    return tally;
  }

  /** `count`, also tallying one overflowed observation of `metric` per `add`, whatever its amount. */
  count(metric: string, count: Count): Count {
    const tally = this.tally(metric);
    return {
      add(amount?: number) {
        count.add(amount);
        tally.add();
      },
    };
  }

  /** `observer`, also tallying one overflowed observation of `metric` per `observe`. */
  observer(metric: string, observer: Observer): Observer {
    const tally = this.tally(metric);
    return {
      observe(value: number) {
        observer.observe(value);
        tally.add();
      },
    };
  }
}
