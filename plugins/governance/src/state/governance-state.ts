import type { Logger } from '@bifrost/schemas';
import { collectLimitChain, type LimitChain } from '../decisions/collect-limit-chain.js';
import { buildSnapshot } from './build-snapshot.js';
import type { GovernanceRows } from './governance-rows.js';
import { emptyGovernanceRows } from './governance-rows.js';
import type { GovernanceSnapshot, ResolvedVirtualKey } from './governance-snapshot.js';

/** Options of {@link GovernanceState}. */
export interface GovernanceStateOptions {
  /** Reads every row governance decides on (from the store, or the config file). */
  loadRows(): Promise<GovernanceRows>;
  /** Whether the store knows a key by this value; absent without a store, when misses are final. */
  hasKey?(value: string): Promise<boolean>;
  /** How often to reload, in ms; 0 never. @default 5000 */
  syncIntervalMs?: number;
  /** How long an unknown key is remembered as unknown. @default 10000 */
  negativeCacheMs?: number;
  /** Store lookups of unknown keys allowed per second, so a flood of made-up keys cannot flood the store. @default 20 */
  missLookupsPerSecond?: number;
  /** @default Date.now */
  clock?: () => number;
  logger?: Pick<Logger, 'warn'>;
}

const chainCacheLimit = 10_000;
const negativeCacheLimit = 10_000;

/**
 * The snapshot governance decides on, kept fresh: rebuilt from the rows on every reload (every `syncIntervalMs`, and
 * when a key created on another instance is presented), swapped in whole so a request sees one consistent state.
 */
export class GovernanceState {
  readonly #options: GovernanceStateOptions;
  readonly #clock: () => number;
  #snapshot: GovernanceSnapshot = buildSnapshot(emptyGovernanceRows());
  #chains = new Map<string, LimitChain>();
  readonly #unknown = new Map<string, number>();
  /** Lookups under way, by value: a burst of requests with one new key shares one lookup. */
  readonly #lookingUp = new Map<string, Promise<ResolvedVirtualKey | undefined>>();
  /** Problems already logged: the same bad row is reported once, not on every reload. */
  readonly #reported = new Set<string>();
  #lookupSecond = 0;
  #lookupsThisSecond = 0;
  #reloading: Promise<void> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: GovernanceStateOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  /** The current snapshot. */
  get snapshot(): GovernanceSnapshot {
    return this.#snapshot;
  }

  /** Loads the first snapshot (a failure here fails start-up), or takes `rows`, and starts the periodic reload. */
  async start(rows?: GovernanceRows): Promise<void> {
    this.#install(rows ?? (await this.#options.loadRows()));
    const interval = this.#options.syncIntervalMs ?? 5000;
    if (interval > 0 && this.#timer === undefined) {
      this.#timer = setInterval(() => void this.reload().catch(() => {}), interval);
      this.#timer.unref();
    }
  }

  /** Reloads now; concurrent calls share one load. A failed load keeps the previous snapshot. */
  reload(): Promise<void> {
    this.#reloading ??= this.#options
      .loadRows()
      .then(
        (rows) => this.#install(rows),
        (error: unknown) => {
          this.#options.logger?.warn('governance: reload failed; keeping the previous state', {
            error: (error as Error).message,
          });
          throw error;
        },
      )
      .finally(() => {
        this.#reloading = undefined;
      });
    return this.#reloading;
  }

  /**
   * A key this snapshot does not know: perhaps created on another instance since the last reload. Looks it up in
   * the store once (reloading when it is there); unknown values are remembered for `negativeCacheMs`.
   */
  resolveMiss(value: string): Promise<ResolvedVirtualKey | undefined> {
    const hasKey = this.#options.hasKey;
    if (hasKey === undefined) return Promise.resolve(undefined);
    const pending = this.#lookingUp.get(value);
    if (pending !== undefined) return pending;
    const now = this.#clock();
    const until = this.#unknown.get(value);
    if (until !== undefined && until > now) return Promise.resolve(undefined);
    if (!this.#mayLookUp(now)) return Promise.resolve(undefined);
    const lookup = this.#lookUp(value, hasKey, now).finally(() => this.#lookingUp.delete(value));
    this.#lookingUp.set(value, lookup);
    return lookup;
  }

  async #lookUp(
    value: string,
    hasKey: (value: string) => Promise<boolean>,
    now: number,
  ): Promise<ResolvedVirtualKey | undefined> {
    try {
      if (await hasKey(value)) {
        await this.reload();
        const found = this.#snapshot.virtualKeys.get(value);
        if (found !== undefined) return found;
      }
    } catch {
      // The store is unreachable: the key stays unknown, as it would without a store.
    }
    if (this.#unknown.size >= negativeCacheLimit) this.#unknown.clear();
    this.#unknown.set(value, now + (this.#options.negativeCacheMs ?? 10_000));
    return undefined;
  }

  /** The limits of a request, computed once per key, provider and model for each snapshot. */
  chainFor(virtualKey: ResolvedVirtualKey | undefined, provider: string, model: string): LimitChain {
    const key = `${virtualKey?.id ?? ''}\u0000${provider}\u0000${model}`;
    let chain = this.#chains.get(key);
    if (chain === undefined) {
      chain = collectLimitChain(this.#snapshot, virtualKey, provider, model);
      // Model names come from callers: bound the cache rather than let it grow with every name tried.
      if (this.#chains.size >= chainCacheLimit) this.#chains.clear();
      this.#chains.set(key, chain);
    }
    return chain;
  }

  /** Stops the periodic reload. */
  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #install(rows: GovernanceRows): void {
    this.#snapshot = buildSnapshot(rows, (problem) => {
      if (this.#reported.has(problem)) return;
      this.#reported.add(problem);
      this.#options.logger?.warn(`governance: ${problem}`);
    });
    this.#chains = new Map();
    this.#unknown.clear();
  }

  #mayLookUp(now: number): boolean {
    const second = Math.floor(now / 1000);
    if (second !== this.#lookupSecond) {
      this.#lookupSecond = second;
      this.#lookupsThisSecond = 0;
    }
    return ++this.#lookupsThisSecond <= (this.#options.missLookupsPerSecond ?? 20);
  }
}
