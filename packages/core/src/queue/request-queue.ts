import type { ProviderName } from '@bifrost/schemas';
import { abortedError } from '../errors/abort-reason.js';
import { GatewayError } from '../errors/gateway-error.js';

/** Sizing of one provider's queue. */
export interface RequestQueueOptions {
  provider: ProviderName;
  /** Requests that may run against the provider at once. */
  concurrency: number;
  /** Requests that may wait for a free slot; beyond that, callers wait for space or are refused. */
  bufferSize: number;
  /** Refuse at once with `queue_full` when the buffer is full, instead of waiting for space. */
  dropExcessRequests: boolean;
  /** Waiter records allocated up front and recycled, so a burst does not allocate. */
  initialPoolSize?: number;
  /**
   * Milliseconds a caller may wait for a slot before it is refused with `queue_full`; 0 or absent waits without
   * limit. A queue that only grows serves nobody in time: past this, failing fast lets the caller retry or fall
   * back while it still can.
   */
  maxWaitMs?: number;
  /** Monotonic clock in milliseconds. @default performance.now */
  now?: () => number;
}

/** The `Retry-After` of a request refused for waiting too long: the queue is busy, not broken. */
const queueRetryAfterMs = 1000;

type WaiterState = 'idle' | 'buffered' | 'overflow' | 'abandoned';

interface Waiter {
  state: WaiterState;
  resolve: (() => void) | undefined;
  reject: ((error: unknown) => void) | undefined;
  signal: AbortSignal | undefined;
  /** When the caller stops waiting, on the queue's clock. */
  deadline: number;
  /** Created once per record, so recycling a record never allocates a listener. */
  readonly onAbort: () => void;
}

/**
 * A bounded queue in front of one provider: `concurrency` slots, a buffer of `bufferSize` waiters, and behind it
 * either refusal or an overflow wait, as upstream Bifrost's worker channels behave. A caller that aborts while
 * waiting leaves the queue at once.
 */
export class RequestQueue {
  private active = 0;
  private buffered: Waiter[] = [];
  private overflow: Waiter[] = [];
  private bufferedCount = 0;
  private overflowCount = 0;
  private readonly pool: Waiter[] = [];
  private readonly options: RequestQueueOptions;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  /** One timer for the whole queue, set for the oldest waiter: waiters expire in arrival order. */
  private expiryTimer: NodeJS.Timeout | undefined;
  private readonly expire = (): void => this.expireOverdue();

  constructor(options: RequestQueueOptions) {
    this.options = options;
    this.maxWaitMs = options.maxWaitMs ?? 0;
    this.now = options.now ?? (() => performance.now());
    const poolSize = Math.min(options.initialPoolSize ?? 0, options.bufferSize);
    for (let index = 0; index < poolSize; index++) this.pool.push(this.newWaiter());
  }

  /** Requests running now. */
  get inFlight(): number {
    return this.active;
  }

  /** Requests waiting for a slot, buffered and overflowing. */
  get waiting(): number {
    return this.bufferedCount + this.overflowCount;
  }

  /**
   * Takes a slot. Returns `undefined` when one was free (the common case costs no promise), otherwise a promise
   * that settles when a slot is granted, or rejects with `queue_full` or `cancelled`.
   */
  acquire(signal?: AbortSignal): Promise<void> | undefined {
    if (signal?.aborted) return Promise.reject(cancelledError(this.options.provider, signal));
    if (this.active < this.options.concurrency && this.bufferedCount === 0) {
      this.active++;
      return undefined;
    }
    if (this.bufferedCount < this.options.bufferSize) return this.wait('buffered', signal);
    if (this.options.dropExcessRequests) {
      const { provider, concurrency, bufferSize } = this.options;
      return Promise.reject(
        new GatewayError(
          'queue_full',
          `${provider} queue is full (${concurrency} running, ${bufferSize} waiting)`,
          {
            provider,
          },
        ),
      );
    }
    return this.wait('overflow', signal);
  }

  /** Returns a slot and hands it to the next waiter. */
  release(): void {
    this.active--;
    this.pump();
  }

  private wait(state: 'buffered' | 'overflow', signal: AbortSignal | undefined): Promise<void> {
    const waiter = this.pool.pop() ?? this.newWaiter();
    waiter.state = state;
    waiter.signal = signal;
    if (this.maxWaitMs > 0) {
      waiter.deadline = this.now() + this.maxWaitMs;
      this.expiryTimer ??= this.scheduleExpiry(this.maxWaitMs);
    }
    if (state === 'buffered') {
      this.bufferedCount++;
      this.buffered.push(waiter);
    } else {
      this.overflowCount++;
      this.overflow.push(waiter);
    }
    signal?.addEventListener('abort', waiter.onAbort, { once: true });
    return new Promise<void>((resolve, reject) => {
      waiter.resolve = resolve;
      waiter.reject = reject;
    });
  }

  private abandon(waiter: Waiter, error?: GatewayError): void {
    if (waiter.state === 'buffered') this.bufferedCount--;
    else if (waiter.state === 'overflow') this.overflowCount--;
    else return;
    // The record stays in its list, marked, and is recycled when the queue reaches it.
    waiter.state = 'abandoned';
    const reject = waiter.reject;
    waiter.resolve = undefined;
    waiter.reject = undefined;
    const signal = waiter.signal;
    waiter.signal = undefined;
    signal?.removeEventListener('abort', waiter.onAbort);
    reject?.(error ?? cancelledError(this.options.provider, signal));
    this.pump();
  }

  private scheduleExpiry(delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(this.expire, Math.max(1, Math.ceil(delayMs)));
    // Waiting callers keep the process alive on their own; the timer must not.
    timer.unref();
    return timer;
  }

  /** Refuses every waiter past its deadline, oldest first, and sets the timer for the next one. */
  private expireOverdue(): void {
    this.expiryTimer = undefined;
    const now = this.now();
    let next = Number.POSITIVE_INFINITY;
    const overdue: Waiter[] = [];
    // Both lists are in arrival order, so each is read only up to its first waiter still in time.
    for (const list of [this.buffered, this.overflow]) {
      for (const waiter of list) {
        if (waiter.state !== 'buffered' && waiter.state !== 'overflow') continue;
        if (waiter.deadline > now) {
          next = Math.min(next, waiter.deadline);
          break;
        }
        overdue.push(waiter);
      }
    }
    // Refused only after the lists were read: each refusal may move waiters between them.
    for (const waiter of overdue) this.abandon(waiter, this.waitedTooLongError());
    if (next !== Number.POSITIVE_INFINITY) this.expiryTimer = this.scheduleExpiry(next - now);
  }

  private waitedTooLongError(): GatewayError {
    const { provider, concurrency } = this.options;
    return new GatewayError(
      'queue_full',
      `waited ${this.maxWaitMs / 1000}s for a free ${provider} slot (max_queue_wait_in_seconds; ${concurrency} running, ${this.waiting} waiting)`,
      { provider, retryAfterMs: queueRetryAfterMs },
    );
  }

  private pump(): void {
    // Overflowing callers move into the buffer as it drains, keeping arrival order.
    while (this.overflowCount > 0 && this.bufferedCount < this.options.bufferSize) {
      const waiter = this.overflow.shift()!;
      if (waiter.state === 'abandoned') {
        this.recycle(waiter);
        continue;
      }
      this.overflowCount--;
      this.bufferedCount++;
      waiter.state = 'buffered';
      this.buffered.push(waiter);
    }
    while (this.active < this.options.concurrency && this.bufferedCount > 0) {
      const waiter = this.buffered.shift()!;
      if (waiter.state === 'abandoned') {
        this.recycle(waiter);
        continue;
      }
      this.bufferedCount--;
      this.active++;
      const resolve = waiter.resolve!;
      this.recycle(waiter);
      resolve();
      // A granted slot frees buffer space for the overflow.
      if (this.overflowCount > 0) this.pump();
    }
    if (this.bufferedCount === 0 && this.buffered.length > 0) this.drainAbandoned(this.buffered);
    if (this.overflowCount === 0 && this.overflow.length > 0) this.drainAbandoned(this.overflow);
  }

  private drainAbandoned(list: Waiter[]): void {
    for (const waiter of list) this.recycle(waiter);
    list.length = 0;
  }

  private recycle(waiter: Waiter): void {
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.state = 'idle';
    waiter.resolve = undefined;
    waiter.reject = undefined;
    waiter.signal = undefined;
    if (this.pool.length < this.options.bufferSize) this.pool.push(waiter);
  }

  private newWaiter(): Waiter {
    const waiter: Waiter = {
      state: 'idle',
      resolve: undefined,
      reject: undefined,
      signal: undefined,
      deadline: 0,
      onAbort: () => this.abandon(waiter),
    };
    return waiter;
  }
}

function cancelledError(provider: ProviderName, signal: AbortSignal | undefined): GatewayError {
  return abortedError(signal, 'the request was cancelled while waiting in the queue', { provider });
}
