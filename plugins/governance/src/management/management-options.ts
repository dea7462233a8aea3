import type { Store } from '@bifrost/store';

/** Live counter figures the runtime holds in memory, fresher than the store's copy (flushed every few seconds). */
export interface LiveUsage {
  current_usage?: number;
  token_current_usage?: number;
  request_current_usage?: number;
  last_reset?: string;
  token_last_reset?: string;
  request_last_reset?: string;
}

/** What the management routes need from the governance runtime. */
export interface ManagementRoutesOptions {
  store: Store;
  /** Called after every successful write so the runtime reloads its snapshot from the store. */
  onChange(): Promise<void>;
  /** Live in-memory counter figures, for `?from_memory=true` and the quota route; absent = the store's copy. */
  liveUsage?(kind: 'budget' | 'rate_limit', id: string): Promise<LiveUsage | undefined>;
  /** Names of configured providers, to validate `provider_configs[].provider`. */
  providers?(): readonly string[];
  /**
   * The clock, in epoch milliseconds, for expiry checks.
   * @default Date.now
   */
  now?(): number;
}
