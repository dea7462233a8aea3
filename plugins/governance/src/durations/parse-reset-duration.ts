/** The units a reset duration is written in: `s`, `m`, `h` (clock time), `d`, `w`, `M` (month), `Y` (year). */
export type ResetDurationUnit = 's' | 'm' | 'h' | 'd' | 'w' | 'M' | 'Y';

/**
 * A parsed reset duration such as `30s`, `1h30m`, `1d` or `1M`.
 *
 * `milliseconds` is the rolling length, as upstream counts it: a month is 30 days and a year 365 days.
 * `unit` and `amount` describe the largest unit written, which is what calendar alignment snaps to.
 */
export interface ResetDuration {
  /** The text as written, for messages and for the management API to echo back. */
  readonly text: string;
  /** The largest unit in the text (`1h30m` has `h`). */
  readonly unit: ResetDurationUnit;
  /** How many of `unit` for a single-unit duration; for a compound one such as `1h30m`, the whole in `unit`s, rounded down. */
  readonly amount: number;
  /** The rolling window length. */
  readonly milliseconds: number;
}

/** A reset duration that could not be parsed; `value` is what was given. */
export class InvalidResetDurationError extends Error {
  override readonly name = 'InvalidResetDurationError';
  /** The value that failed to parse. */
  readonly value: unknown;

  constructor(value: unknown, reason: string) {
    super(`invalid reset duration ${JSON.stringify(value)}: ${reason}`);
    this.value = value;
  }
}

const second = 1000;
const day = 86_400 * second;

const unitMilliseconds: Readonly<Record<ResetDurationUnit, number>> = {
  s: second,
  m: 60 * second,
  h: 3600 * second,
  d: day,
  w: 7 * day,
  M: 30 * day,
  Y: 365 * day,
};

// Order from largest to smallest: a compound duration must name its units in this order, as Go's does.
const unitRank: Readonly<Record<ResetDurationUnit, number>> = { Y: 6, M: 5, w: 4, d: 3, h: 2, m: 1, s: 0 };

const aliases: Readonly<Record<string, string>> = { daily: '1d', weekly: '1w', monthly: '1M', yearly: '1Y' };

const part = /(\d+)([smhdwMY])/y;

/**
 * Parses one of upstream's reset durations: a whole number and a unit (`30s`, `5m`, `1h`, `1d`, `1w`, `1M`,
 * `1Y`), a Go-style compound of clock units (`1h30m`), or an alias (`daily`, `weekly`, `monthly`, `yearly`).
 * Units are case-sensitive: `1m` is a minute and `1M` a month. Zero-length durations are refused.
 *
 * @throws InvalidResetDurationError naming the value and what is wrong with it.
 */
export function parseResetDuration(value: unknown): ResetDuration {
  if (typeof value !== 'string') throw new InvalidResetDurationError(value, 'expected a string such as "1h"');
  const text = value.trim();
  const source = aliases[text] ?? text;
  if (source.length === 0) throw new InvalidResetDurationError(value, 'expected a duration such as "1h"');
  let milliseconds = 0;
  let largest: ResetDurationUnit | undefined;
  let previousRank = Number.POSITIVE_INFINITY;
  let parts = 0;
  part.lastIndex = 0;
  while (part.lastIndex < source.length) {
    const match = part.exec(source);
    if (match === null) {
      throw new InvalidResetDurationError(
        value,
        'expected whole numbers with a unit of s, m, h, d, w, M (month) or Y (year), e.g. "30s", "1h30m", "1M"',
      );
    }
    const unit = match[2] as ResetDurationUnit;
    if (unitRank[unit] >= previousRank) {
      throw new InvalidResetDurationError(value, 'units must go from largest to smallest, each once');
    }
    previousRank = unitRank[unit];
    largest ??= unit;
    milliseconds += Number(match[1]) * unitMilliseconds[unit];
    parts += 1;
  }
  if (largest === undefined || milliseconds <= 0) {
    throw new InvalidResetDurationError(value, 'a reset duration must be longer than zero');
  }
  if (!Number.isSafeInteger(milliseconds)) throw new InvalidResetDurationError(value, 'too long');
  if (parts > 1 && unitRank[largest] > unitRank.h) {
    // Calendar alignment snaps to the largest unit; "1d12h" has no calendar meaning upstream either.
    throw new InvalidResetDurationError(value, 'only clock units (h, m, s) can be combined, e.g. "1h30m"');
  }
  const amount = Math.floor(milliseconds / unitMilliseconds[largest]);
  return { text, unit: largest, amount, milliseconds };
}
