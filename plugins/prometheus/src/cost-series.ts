import type { BatchedCounter } from './batched-counter.js';
import { type BoundedLabelValues, overflowLabelValue } from './bounded-label-values.js';
import { metricNames } from './metrics.js';
import type { Count, SeriesOverflow } from './series-overflow.js';

/** Joins label values into a cache key; a control character, since label values are text from callers. */
const keySeparator = '\u0001';

/** Where one request's cost is counted: its provider, model and virtual key. */
export interface CostLabels {
  provider: string;
  model: string;
  /** The virtual key's id; empty when the request had none. */
  virtualKey: string;
}

/**
 * The `bifrost_cost_total` children, one per provider, model and virtual key, at most `maxSeries` of them; later
 * label sets share the overflow series (every label `other`), as the plugin's other metrics do. Models and virtual
 * keys are admitted through bounded value sets, so neither can grow the output without bound.
 */
export class CostSeries {
  private readonly series = new Map<string, Count>();
  private overflowSeries: Count | undefined;

  constructor(
    private readonly counter: BatchedCounter,
    private readonly overflow: SeriesOverflow,
    private readonly maxSeries: number,
    private readonly models: BoundedLabelValues,
    private readonly virtualKeys: BoundedLabelValues,
  ) {}

  /** Adds `dollars` to the series of `labels`. */
  add(labels: CostLabels, dollars: number): void {
    this.countOf(labels).add(dollars);
  }

  private countOf({ provider, model, virtualKey }: CostLabels): Count {
    const admittedModel = this.models.admit(model);
    const admittedKey = this.virtualKeys.admit(virtualKey);
    const key = provider + keySeparator + admittedModel + keySeparator + admittedKey;
    let count = this.series.get(key);
    if (count === undefined) {
      if (this.series.size >= this.maxSeries) {
        this.overflowSeries ??= this.overflow.count(
          metricNames.cost,
          this.counter.child({
            provider: overflowLabelValue,
            model: overflowLabelValue,
            virtual_key: overflowLabelValue,
          }),
        );
        return this.overflowSeries;
      }
      count = this.counter.child({ provider, model: admittedModel, virtual_key: admittedKey });
      this.series.set(key, count);
    }
    return count;
  }
}
