import type { Kysely } from 'kysely';
import { BudgetStore } from './budget-store.js';
import { CustomerStore } from './customer-store.js';
import type { Database } from './database.js';
import { mapDatabaseError } from './map-database-error.js';
import { ModelConfigStore } from './model-config-store.js';
import { PricingOverrideStore } from './pricing-override-store.js';
import { ProviderStore } from './provider-store.js';
import { RateLimitStore } from './rate-limit-store.js';
import type { RepositoryContext } from './repository-context.js';
import { RequestLogStore } from './request-log-store.js';
import { SettingsStore } from './settings-store.js';
import type { StoreError } from './store-error.js';
import { TeamStore } from './team-store.js';
import { applyUsageDeltas, type UsageDeltaResult, type UsageDeltas } from './usage-deltas.js';
import { VirtualKeyProviderConfigStore } from './virtual-key-provider-config-store.js';
import { VirtualKeyStore } from './virtual-key-store.js';

/** Which back end a store runs on. */
export type StoreBackend = 'embedded' | 'postgres';

/** What `Store.health()` reports. */
export interface StoreHealth {
  backend: StoreBackend;
  status: 'available' | 'unavailable';
  /** Round trip of a trivial query, when available. */
  latencyMs?: number;
  /** Why the store is unavailable. */
  error?: StoreError;
}

/** How a store was built: the query builder, the injected clock and ids, and how to shut its back end down. */
export interface StoreParts extends RepositoryContext {
  backend: StoreBackend;
  /** The migrations that ran when this store opened. */
  appliedMigrations: string[];
  /** Closes the back end after Kysely lets go of it. */
  closeBackend: () => Promise<void>;
}

/**
 * Bifrost's durable state: one repository per kind of row, the batched usage flush, and health. Every operation
 * rejects with a `StoreError`; `StoreUnavailableError` when the database cannot be reached.
 */
export class Store {
  readonly backend: StoreBackend;
  /** The query builder over the whole schema, for queries no repository offers yet. */
  readonly db: Kysely<Database>;
  /** The migrations that ran when this store opened (empty when the schema was already current). */
  readonly appliedMigrations: readonly string[];
  readonly virtualKeys: VirtualKeyStore;
  readonly virtualKeyProviderConfigs: VirtualKeyProviderConfigStore;
  readonly teams: TeamStore;
  readonly customers: CustomerStore;
  readonly budgets: BudgetStore;
  readonly rateLimits: RateLimitStore;
  readonly providers: ProviderStore;
  readonly modelConfigs: ModelConfigStore;
  readonly pricingOverrides: PricingOverrideStore;
  readonly requestLogs: RequestLogStore;
  readonly settings: SettingsStore;
  readonly #parts: StoreParts;
  #closed: Promise<void> | undefined;

  constructor(parts: StoreParts) {
    this.#parts = parts;
    this.backend = parts.backend;
    this.db = parts.db;
    this.appliedMigrations = parts.appliedMigrations;
    this.virtualKeys = new VirtualKeyStore(parts);
    this.virtualKeyProviderConfigs = new VirtualKeyProviderConfigStore(parts);
    this.teams = new TeamStore(parts);
    this.customers = new CustomerStore(parts);
    this.budgets = new BudgetStore(parts);
    this.rateLimits = new RateLimitStore(parts);
    this.providers = new ProviderStore(parts);
    this.modelConfigs = new ModelConfigStore(parts);
    this.pricingOverrides = new PricingOverrideStore(parts);
    this.requestLogs = new RequestLogStore(parts);
    this.settings = new SettingsStore(parts);
  }

  /**
   * Adds usage counted in memory to the durable budgets and rate limits, atomically: either the whole batch lands or
   * none of it does, and concurrent flushes add up.
   */
  applyUsageDeltas(deltas: UsageDeltas): Promise<UsageDeltaResult> {
    return applyUsageDeltas(this.#parts.db, deltas, this.#parts.now());
  }

  /**
   * Runs `work` in one transaction: it gets a store whose repositories all write through that transaction, and
   * everything it wrote is rolled back when it rejects. Use only the store it is given inside `work`: on the embedded
   * back end the transaction holds the one connection, so a query through the outer store would wait forever.
   */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T> {
    return this.db
      .transaction()
      .execute((transaction) =>
        work(new Store({ ...this.#parts, db: transaction, closeBackend: async () => {} })),
      );
  }

  /** Runs a trivial query and reports whether the database answers; never rejects. */
  async health(): Promise<StoreHealth> {
    const started = performance.now();
    try {
      await this.db.selectNoFrom((eb) => eb.lit(1).as('ok')).execute();
      return { backend: this.backend, status: 'available', latencyMs: performance.now() - started };
    } catch (error) {
      return { backend: this.backend, status: 'unavailable', error: mapDatabaseError(error) };
    }
  }

  /** Closes the connections (or the embedded database); later operations reject as unavailable. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.db.destroy();
      await this.#parts.closeBackend();
    })();
    return this.#closed;
  }
}
