import { GatewayError } from '@bifrost/core';

/** How long a refused caller is told to wait: bodies on a healthy gateway are read in well under a second. */
const retryAfterMs = 1000;

/** Options of {@link RequestBodyBudget}. */
export interface RequestBodyBudgetOptions {
  /**
   * Asks the runtime to collect garbage. An idle process allocates nothing, so nothing prompts the collector:
   * after a burst of large bodies the memory would stay taken for minutes. Called once the budget is empty
   * again, when at least `reclaimAfterBytes` passed through since the last call.
   */
  reclaim?: () => void;
  /** @default 64 MiB */
  reclaimAfterBytes?: number;
  /** How long the budget must stay empty before `reclaim` runs. @default 1000 */
  reclaimDelayMs?: number;
  /** Injectable for tests. @default setTimeout */
  setTimer?: (callback: () => void, delayMs: number) => { unref?: () => unknown };
}

/**
 * A cap on request-body bytes held by all requests at once, across every route. Bodies are buffered whole before
 * they are parsed, so without it many large bodies at once take memory to gigabytes; past the cap a request is
 * refused with 429 and `Retry-After` instead. One request is always let in when nothing else holds bytes, so a
 * body larger than the whole cap (but under the per-request limit) still gets through on a quiet gateway.
 */
export class RequestBodyBudget {
  readonly maxBytes: number;
  readonly #options: RequestBodyBudgetOptions;
  #inFlightBytes = 0;
  #bytesSinceReclaim = 0;
  #reclaimScheduled = false;

  /** @param maxBytes bytes all requests may hold at once (`client.max_in_flight_request_body_mb`). */
  constructor(maxBytes: number, options: RequestBodyBudgetOptions = {}) {
    this.maxBytes = maxBytes;
    this.#options = options;
  }

  /** Bytes held right now. */
  get inFlightBytes(): number {
    return this.#inFlightBytes;
  }

  /** Takes `bytes` from the budget, or throws the 429 to answer with when they do not fit. */
  reserve(bytes: number): void {
    if (this.#inFlightBytes > 0 && this.#inFlightBytes + bytes > this.maxBytes) {
      throw new GatewayError(
        'queue_full',
        'the gateway is holding as many request-body bytes as it may at once (client.max_in_flight_request_body_mb); retry shortly',
        { retryAfterMs },
      );
    }
    this.#inFlightBytes += bytes;
    this.#bytesSinceReclaim += bytes;
  }

  /** Gives back bytes taken with {@link reserve}. */
  release(bytes: number): void {
    this.#inFlightBytes = Math.max(0, this.#inFlightBytes - bytes);
    if (this.#inFlightBytes === 0) this.#scheduleReclaim();
  }

  #scheduleReclaim(): void {
    const { reclaim, reclaimAfterBytes = 64 * 1024 * 1024, reclaimDelayMs = 1000 } = this.#options;
    if (!reclaim || this.#reclaimScheduled || this.#bytesSinceReclaim < reclaimAfterBytes) return;
    this.#reclaimScheduled = true;
    const setTimer = this.#options.setTimer ?? setTimeout;
    const timer = setTimer(() => {
      this.#reclaimScheduled = false;
      // Busy again: the next time the budget empties tries again.
      if (this.#inFlightBytes > 0) return;
      this.#bytesSinceReclaim = 0;
      reclaim();
    }, reclaimDelayMs);
    // Never keeps a process alive that is otherwise done.
    timer.unref?.();
  }
}
