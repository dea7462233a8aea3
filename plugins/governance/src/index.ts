export type {
  Admission,
  CounterCheck,
  Counters,
  CounterUsage,
  FailMode,
  MaybePromise,
  Reservation,
} from './counters/counters.js';
export { CountersUnavailableError } from './counters/counters.js';
export type { MemoryCountersOptions } from './counters/memory-counters.js';
export { MemoryCounters } from './counters/memory-counters.js';
export type { RedisCountersOptions } from './counters/redis-counters.js';
export { RedisCounters } from './counters/redis-counters.js';
export type { ResetDuration, ResetDurationUnit } from './durations/parse-reset-duration.js';
export { InvalidResetDurationError, parseResetDuration } from './durations/parse-reset-duration.js';
export type { CounterWindow, WindowMode } from './durations/reset-window.js';
export { nextReset, retryAfterSeconds, windowEnd, windowStart } from './durations/reset-window.js';
