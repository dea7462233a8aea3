/** Retry timing for one provider, in milliseconds. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** Fraction of the delay added or removed at random, so synchronized clients spread out. */
const jitterFraction = 0.2;

/**
 * The delay before retry number `attempt` (1 for the first retry): `initial * 2^(attempt-1)`, capped at `max`,
 * then ±20% jitter.
 */
export function computeBackoff(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponential = options.initialMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(exponential, options.maxMs);
  const jitter = 1 + (random() * 2 - 1) * jitterFraction;
  return Math.max(0, Math.round(capped * jitter));
}

const httpDateStart = /^(mon|tue|wed|thu|fri|sat|sun)/i;

/**
 * Parses a `Retry-After` header: delta-seconds or an HTTP date. Returns milliseconds, or `undefined` when the
 * header is absent or unreadable.
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: () => number = Date.now,
): number | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (header === undefined || header === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Every HTTP-date form opens with the day name; without this check Date.parse reads "-1" or "soon 3" as dates.
  if (!httpDateStart.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now());
}

/** Sleeps, waking early with a rejection when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
