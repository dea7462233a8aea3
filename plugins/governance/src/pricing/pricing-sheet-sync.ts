import { type DatasheetReaders, loadPricingDatasheet, type PricingDatasheet } from './pricing-datasheet.js';

/** A timer the sync schedules itself on; injected so tests drive refreshes by hand. */
export interface SyncTimer {
  setInterval(callback: () => void, milliseconds: number): unknown;
  clearInterval(handle: unknown): void;
}

/** The outcome of one read of the sheet. */
export type SheetRefresh = { ok: true; at: Date } | { ok: false; at: Date; error: Error };

/** Options for {@link PricingSheetSync}. */
export interface PricingSheetSyncOptions extends DatasheetReaders {
  /** Upstream's `framework.pricing.pricing_url`. */
  url: string;
  /** Upstream's `framework.pricing.pricing_sync_interval`, in seconds. @default 3600 */
  syncIntervalSeconds?: number;
  /** @default globalThis's setInterval/clearInterval, unref'd so it never keeps the process alive */
  timer?: SyncTimer;
  /** @default () => new Date() */
  now?: () => Date;
  /** Told about every failed read; the last good sheet stays in use. */
  onError?: (error: Error) => void;
}

const defaultTimer: SyncTimer = {
  setInterval(callback, milliseconds) {
    const handle = setInterval(callback, milliseconds);
    handle.unref();
    return handle;
  },
  clearInterval(handle) {
    clearInterval(handle as ReturnType<typeof setInterval>);
  },
};

/**
 * Keeps upstream's `pricing_url` sheet fresh: reads it on {@link start} and every `syncIntervalSeconds` after.
 * A failed read never throws and never drops prices: the last good sheet stays, and the failure is reported
 * through `onError` and {@link lastRefresh}.
 */
export class PricingSheetSync {
  readonly #options: PricingSheetSyncOptions;
  readonly #timer: SyncTimer;
  readonly #now: () => Date;
  #sheet: PricingDatasheet | undefined;
  #lastRefresh: SheetRefresh | undefined;
  #handle: unknown;

  constructor(options: PricingSheetSyncOptions) {
    this.#options = options;
    this.#timer = options.timer ?? defaultTimer;
    this.#now = options.now ?? (() => new Date());
  }

  /** The last sheet read successfully, if any. */
  get sheet(): PricingDatasheet | undefined {
    return this.#sheet;
  }

  /** The outcome of the most recent read. */
  get lastRefresh(): SheetRefresh | undefined {
    return this.#lastRefresh;
  }

  /** Reads the sheet now, then schedules the periodic refresh. */
  async start(): Promise<SheetRefresh> {
    const first = await this.refresh();
    if (this.#handle === undefined) {
      const seconds = this.#options.syncIntervalSeconds ?? 3600;
      this.#handle = this.#timer.setInterval(() => void this.refresh(), seconds * 1000);
    }
    return first;
  }

  /** Reads the sheet once; keeps the previous sheet when the read fails. */
  async refresh(): Promise<SheetRefresh> {
    try {
      this.#sheet = await loadPricingDatasheet(this.#options.url, this.#options);
      this.#lastRefresh = { ok: true, at: this.#now() };
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      this.#lastRefresh = { ok: false, at: this.#now(), error };
      this.#options.onError?.(error);
    }
    return this.#lastRefresh;
  }

  /** Stops the periodic refresh. */
  stop(): void {
    if (this.#handle !== undefined) this.#timer.clearInterval(this.#handle);
    this.#handle = undefined;
  }
}
