import type { ResetDuration } from './parse-reset-duration.js';

/**
 * How a window sits in time. `rolling`: back-to-back windows of the duration's length from an anchor (a
 * budget's creation time, or the epoch). `calendar`: upstream's `calendar_aligned`, where day, week, month and
 * year windows start at UTC midnight, on Monday, on the 1st and on 1 January; shorter windows stay rolling.
 */
export type WindowMode = 'rolling' | 'calendar';

/** Where one counter's windows fall: its duration, mode and (for rolling windows) anchor. */
export interface CounterWindow {
  readonly duration: ResetDuration;
  /** @default 'rolling' */
  readonly mode?: WindowMode;
  /** Epoch milliseconds the rolling lattice starts from, e.g. the budget's `created_at`. @default 0 */
  readonly anchor?: number;
}

const day = 86_400_000;
// 1970-01-05 was the first Monday after the epoch.
const firstMonday = 4 * day;

function isCalendar(duration: ResetDuration, mode: WindowMode): boolean {
  return (
    mode === 'calendar' &&
    (duration.unit === 'd' || duration.unit === 'w' || duration.unit === 'M' || duration.unit === 'Y')
  );
}

function floorTo(now: number, origin: number, length: number): number {
  return origin + Math.floor((now - origin) / length) * length;
}

function monthIndex(time: number): number {
  const date = new Date(time);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

function startOfMonthIndex(index: number): number {
  return Date.UTC(Math.floor(index / 12), index % 12, 1);
}

/**
 * The start (epoch ms) of the window that holds `now`.
 *
 * Calendar windows of N units count from the epoch's calendar (days since 1970-01-01, Mondays since
 * 1970-01-05, months since January 1970), so `2M` windows are Jan–Feb, Mar–Apr, … and every instance agrees.
 */
export function windowStart(
  now: number,
  duration: ResetDuration,
  mode: WindowMode = 'rolling',
  anchor = 0,
): number {
  if (!isCalendar(duration, mode)) return floorTo(now, anchor, duration.milliseconds);
  switch (duration.unit) {
    case 'd':
      return floorTo(now, 0, duration.amount * day);
    case 'w':
      return floorTo(now, firstMonday, duration.amount * 7 * day);
    case 'M': {
      const index = monthIndex(now);
      return startOfMonthIndex(index - (index % duration.amount));
    }
    default: {
      const year = new Date(now).getUTCFullYear();
      const offset = (((year - 1970) % duration.amount) + duration.amount) % duration.amount;
      return Date.UTC(year - offset, 0, 1);
    }
  }
}

/**
 * When the window holding `now` ends and the counter resets (epoch ms): the value for `x-ratelimit-reset`
 * and, less `now`, for `Retry-After`. Calendar months and years have their real lengths (28 to 31 days, 365
 * or 366); rolling ones are 30 and 365 days, as upstream counts them.
 */
export function nextReset(
  now: number,
  duration: ResetDuration,
  mode: WindowMode = 'rolling',
  anchor = 0,
): number {
  return windowEnd(windowStart(now, duration, mode, anchor), duration, mode);
}

/** The end of the window that starts at `start` (a value from {@link windowStart}). */
export function windowEnd(start: number, duration: ResetDuration, mode: WindowMode = 'rolling'): number {
  if (!isCalendar(duration, mode)) return start + duration.milliseconds;
  switch (duration.unit) {
    case 'd':
      return start + duration.amount * day;
    case 'w':
      return start + duration.amount * 7 * day;
    case 'M':
      return startOfMonthIndex(monthIndex(start) + duration.amount);
    default:
      return Date.UTC(new Date(start).getUTCFullYear() + duration.amount, 0, 1);
  }
}

/** Whole seconds from `now` until `resetAt`, at least 1: the `Retry-After` header's value. */
export function retryAfterSeconds(now: number, resetAt: number): number {
  return Math.max(1, Math.ceil((resetAt - now) / 1000));
}
