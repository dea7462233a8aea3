/** The value every label takes once its cap is reached, and for empty values. */
export const overflowLabelValue = 'other';

/**
 * Keeps a label's distinct values bounded: the first `limit` values seen pass through, every later one becomes
 * `other`. Prometheus keeps one series per label combination for the life of the process, so a label fed by
 * callers (a model name, a header) must not grow without bound.
 */
export class BoundedLabelValues {
  private readonly seen = new Set<string>();
  private readonly limit: number;
  private readonly maxLength: number;

  /**
   * @param limit distinct values kept before the rest become `other`
   * @param maxLength longer values are cut to this many characters before counting
   */
  constructor(limit: number, maxLength = 128) {
    this.limit = limit;
    this.maxLength = maxLength;
  }

  /** The value to record for `value`. */
  admit(value: string | undefined): string {
    if (value === undefined || value === '') return '';
    const candidate = value.length > this.maxLength ? value.slice(0, this.maxLength) : value;
    if (this.seen.has(candidate)) return candidate;
    if (this.seen.size >= this.limit) return overflowLabelValue;
    this.seen.add(candidate);
    return candidate;
  }
}
