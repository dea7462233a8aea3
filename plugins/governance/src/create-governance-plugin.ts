import type { Logger } from '@bifrost/schemas';
import { readLiveUsage } from './admission/read-live-usage.js';
import { seedCounters } from './admission/seed-counters.js';
import { StoreUsageFlusher } from './admission/store-usage-flusher.js';
import { UsageLedger } from './admission/usage-ledger.js';
import type { Counters } from './counters/counters.js';
import { MemoryCounters } from './counters/memory-counters.js';
import { RedisCounters } from './counters/redis-counters.js';
import { GovernancePlugin } from './governance-plugin.js';
import { type GovernancePluginOptions, parseGovernancePluginOptions } from './governance-plugin-options.js';
import { createManagementRoutes } from './management/index.js';
import { PricingCatalog } from './pricing/pricing-catalog.js';
import { PricingSheetSync } from './pricing/pricing-sheet-sync.js';
import { configGovernanceRows, resolveEnvValue } from './state/config-governance-rows.js';
import { emptyGovernanceRows } from './state/governance-rows.js';
import { GovernanceState } from './state/governance-state.js';
import { loadStoreRows, storeHasKey } from './state/load-store-rows.js';
import { seedStore } from './state/seed-store.js';

/** What the gateway hands a plugin factory besides its config; only the logger is used. */
export interface GovernancePluginContext {
  logger?: Logger;
}

const silent: Pick<Logger, 'info' | 'warn'> = { info() {}, warn() {} };

async function createCounters(options: GovernancePluginOptions, logger: Pick<Logger, 'info' | 'warn'>) {
  const config = options.counters ?? { type: 'memory' };
  if (config.type === 'memory') return new MemoryCounters();
  const counters = new RedisCounters({
    url: resolveEnvValue(config.url),
    failMode: config.fail_mode,
    ...(config.key_prefix === undefined ? {} : { prefix: config.key_prefix }),
    logger,
  });
  // Unreachable at start is the outage mode the fail mode names, not a reason to refuse to start; waiting a little
  // spares the first requests an outage when Redis is merely slower to answer than the gateway is to start.
  await counters.ready(2000).catch(() => logger.warn('governance: Redis is not reachable yet'));
  return counters;
}

async function createPricing(options: GovernancePluginOptions, logger: Pick<Logger, 'warn'>) {
  const url = options.pricing?.pricing_url;
  const sheet =
    url === undefined
      ? undefined
      : new PricingSheetSync({
          url,
          syncIntervalSeconds: options.pricing?.pricing_sync_interval ?? 86_400,
          onError: (error) =>
            logger.warn('governance: the pricing sheet could not be read', { error: error.message }),
        });
  await sheet?.start();
  return { sheet, pricing: new PricingCatalog({ datasheet: () => sheet?.sheet }) };
}

/**
 * Builds the governance plugin from its config: counters in memory or Redis, prices with the `pricing_url` sheet,
 * the state (the config file's `governance` section seeded into the store, then read back and kept fresh), the
 * usage flush and the management API. `cleanup()` flushes usage and closes what this made; never the store, which
 * the transport owns.
 *
 * @throws InvalidGovernanceConfigError naming the fields at fault.
 */
export async function governancePlugin(
  config: unknown,
  context: GovernancePluginContext = {},
): Promise<GovernancePlugin> {
  const options = parseGovernancePluginOptions(config);
  const logger = context.logger ?? silent;
  const warn = (message: string) => logger.warn(`governance: ${message}`);
  const { store } = options;
  const configRows = options.governance ? configGovernanceRows(options.governance) : emptyGovernanceRows();
  if (store !== undefined && options.governance !== undefined) {
    const keysWithValues = new Set(
      options.governance.virtual_keys.filter((key) => key.value !== undefined).map((key) => key.id),
    );
    await seedStore(store, configRows, keysWithValues, warn);
  }
  const state = new GovernanceState({
    loadRows: store === undefined ? async () => configRows : () => loadStoreRows(store),
    ...(store === undefined ? {} : { hasKey: (value: string) => storeHasKey(store, value) }),
    // Only a shared Postgres has writers other than this process; the embedded store is this process's alone, and
    // its own management writes reload at once, so reading it back on a timer would only cost CPU.
    syncIntervalMs: store?.backend === 'postgres' ? options.sync_interval * 1000 : 0,
    logger,
  });
  const rows = store === undefined ? configRows : await loadStoreRows(store);
  await state.start(rows);

  const counters: Counters = await createCounters(options, logger);
  await seedCounters(counters, state.snapshot, rows, Date.now());
  const { sheet, pricing } = await createPricing(options, logger);
  const ledger = store === undefined ? undefined : new UsageLedger();
  const flusher =
    store === undefined || ledger === undefined
      ? undefined
      : new StoreUsageFlusher({ store, ledger, intervalMs: options.usage_flush_interval * 1000, logger });
  flusher?.start();

  const plugin: GovernancePlugin = new GovernancePlugin({
    state,
    counters,
    pricing,
    enforceAuthOnInference: options.enforce_auth_on_inference ?? false,
    ...(ledger === undefined ? {} : { ledger }),
    ...(store === undefined
      ? {}
      : {
          httpRoutes: createManagementRoutes({
            store,
            onChange: () => state.reload(),
            liveUsage: (kind, id) => readLiveUsage(counters, state.snapshot, kind, id),
            providers: () => plugin.providers,
          }),
        }),
    close: async () => {
      state.close();
      sheet?.stop();
      await flusher?.close();
      await counters.close();
    },
  });
  return plugin;
}
