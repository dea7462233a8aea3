import type { MaybePromise } from '../counters/counters.js';

/** Whether a counters answer is still to come; in-memory counters answer at once and cost no microtask. */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === 'function';
}
