import type { Account, Logger, ProviderConfig, ProviderName } from '@bifrost/schemas';
import {
  createProviderRuntime,
  type ProviderRuntime,
  type ProviderRuntimeOptions,
} from './provider-runtime.js';

/** What {@link ProviderRegistry.reload} changed, by provider name. */
export interface ProvidersReload {
  added: ProviderName[];
  updated: ProviderName[];
  removed: ProviderName[];
  unchanged: ProviderName[];
}

/** Whether two settings need the same connection pool and queue; keys are read per request and do not count. */
function sameSettings(current: ProviderConfig, next: ProviderConfig): boolean {
  return JSON.stringify({ ...current, keys: undefined }) === JSON.stringify({ ...next, keys: undefined });
}

/** The providers an engine can route to, built from the account and rebuilt on reload. */
export class ProviderRegistry {
  private readonly runtimes = new Map<ProviderName, ProviderRuntime>();
  private readonly account: Account;
  private readonly options: ProviderRuntimeOptions;
  private readonly logger: Logger;

  constructor(account: Account, options: ProviderRuntimeOptions, logger: Logger) {
    this.account = account;
    this.options = options;
    this.logger = logger;
  }

  /** Prepares every provider the account configures. */
  async load(): Promise<void> {
    for (const name of await this.account.getConfiguredProviders()) {
      const config = await this.account.getConfigForProvider(name);
      this.runtimes.set(name, createProviderRuntime(name, config, this.options));
    }
  }

  get(name: ProviderName): ProviderRuntime | undefined {
    return this.runtimes.get(name);
  }

  get names(): ProviderName[] {
    return [...this.runtimes.keys()];
  }

  values(): IterableIterator<ProviderRuntime> {
    return this.runtimes.values();
  }

  /**
   * Reads the account's providers and settings again and applies the difference: new providers start, removed
   * ones stop, and one whose settings changed gets a fresh connection pool and queue. Requests already running
   * finish on what they started with.
   */
  async reload(): Promise<ProvidersReload> {
    const next = new Map<ProviderName, ProviderConfig>();
    // Everything is read and built before anything is swapped, so a failure leaves the running set untouched.
    for (const name of await this.account.getConfiguredProviders()) {
      next.set(name, await this.account.getConfigForProvider(name));
    }
    const summary: ProvidersReload = { added: [], updated: [], removed: [], unchanged: [] };
    const built = new Map<ProviderName, ProviderRuntime>();
    try {
      for (const [name, config] of next) {
        const current = this.runtimes.get(name);
        if (current && sameSettings(current.config, config)) {
          summary.unchanged.push(name);
          continue;
        }
        built.set(name, createProviderRuntime(name, config, this.options));
        (current ? summary.updated : summary.added).push(name);
      }
    } catch (error) {
      await Promise.all([...built.values()].map((runtime) => runtime.provider.close()));
      throw error;
    }
    const retired: ProviderRuntime[] = [];
    for (const [name, runtime] of this.runtimes) {
      if (!next.has(name)) {
        summary.removed.push(name);
        retired.push(runtime);
        this.runtimes.delete(name);
      }
    }
    for (const [name, runtime] of built) {
      const current = this.runtimes.get(name);
      if (current) retired.push(current);
      this.runtimes.set(name, runtime);
    }
    // An undici pool's close() waits for the requests it is serving, so in-flight calls finish undisturbed.
    for (const runtime of retired) {
      runtime.provider.close().catch((error) => {
        this.logger.warn('closing a replaced provider failed', { reason: (error as Error).message });
      });
    }
    return summary;
  }

  /** Closes every provider's connections once their in-flight calls finish. */
  async close(): Promise<void> {
    await Promise.all([...this.runtimes.values()].map((runtime) => runtime.provider.close()));
  }
}
