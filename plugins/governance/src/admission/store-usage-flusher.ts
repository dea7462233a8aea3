import type { Logger } from '@bifrost/schemas';
import type { BudgetUsageDelta, RateLimitUsageDelta, Store } from '@bifrost/store';
import type { LedgerEntry, UsageLedger } from './usage-ledger.js';

/** Options of {@link StoreUsageFlusher}. */
export interface StoreUsageFlusherOptions {
  store: Store;
  ledger: UsageLedger;
  /** How often usage goes to the store. @default 3000 */
  intervalMs?: number;
  /** @default Date.now */
  clock?: () => number;
  logger?: Pick<Logger, 'warn'>;
}

/**
 * Sends the usage counted in memory to the store in batches, off the request path, so budgets survive a restart
 * and the management API shows them. A row whose stored usage belongs to an earlier window is zeroed first (only if
 * no other instance did so already), then the batch is added atomically. A failed flush is kept for the next one.
 */
export class StoreUsageFlusher {
  readonly #options: StoreUsageFlusherOptions;
  readonly #clock: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #flushing: Promise<void> | undefined;
  /** The window each counter's stored row is known to be in, so that a window is started once, not every flush. */
  readonly #storedWindows = new Map<string, number>();

  constructor(options: StoreUsageFlusherOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  /** Starts the periodic flush; the timer never keeps the process alive. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.flush(), this.#options.intervalMs ?? 3000);
    this.#timer.unref();
  }

  /** Flushes now; a flush already running is awaited rather than doubled. */
  flush(): Promise<void> {
    this.#flushing ??= this.#flushOnce().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  /** Stops the timer and flushes what is left. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#flushing;
    await this.flush();
  }

  async #flushOnce(): Promise<void> {
    const { ledger, store } = this.#options;
    if (ledger.isEmpty) return;
    const entries = ledger.drain(this.#clock());
    if (entries.length === 0) return;
    try {
      await this.#startWindows(store, entries);
      await store.applyUsageDeltas(deltasOf(entries));
    } catch (error) {
      ledger.restore(entries);
      this.#options.logger?.warn('governance: usage could not be written to the store; retrying', {
        error: (error as Error).message,
      });
    }
  }

  /** Zeroes stored usage left from an earlier window, once across instances: only rows not yet moved on. */
  async #startWindows(store: Store, entries: readonly LedgerEntry[]): Promise<void> {
    for (const { counter, windowStart } of entries) {
      if (this.#storedWindows.get(counter.key) === windowStart) continue;
      const at = new Date(windowStart);
      if (counter.kind === 'budget') {
        await store.db
          .updateTable('budgets')
          .set({ current_usage: 0, last_reset: at })
          .where('id', '=', counter.id)
          .where('last_reset', '<', at)
          .execute();
      } else {
        const [usage, reset] = counter.kind === 'tokens' ? tokenColumns : requestColumns;
        await store.db
          .updateTable('rate_limits')
          .set({ [usage]: 0, [reset]: at })
          .where('id', '=', counter.id)
          .where(reset, '<', at)
          .execute();
      }
      this.#storedWindows.set(counter.key, windowStart);
    }
  }
}

const tokenColumns = ['token_current_usage', 'token_last_reset'] as const;
const requestColumns = ['request_current_usage', 'request_last_reset'] as const;

function deltasOf(entries: readonly LedgerEntry[]) {
  const budgets: BudgetUsageDelta[] = [];
  const rateLimits: RateLimitUsageDelta[] = [];
  for (const { counter, amount } of entries) {
    if (counter.kind === 'budget') budgets.push({ id: counter.id, amount });
    else if (counter.kind === 'tokens') rateLimits.push({ id: counter.id, tokens: Math.round(amount) });
    else rateLimits.push({ id: counter.id, requests: Math.round(amount) });
  }
  return { budgets, rateLimits };
}
