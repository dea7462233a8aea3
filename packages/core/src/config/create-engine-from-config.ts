import type { ConfigFile, Logger, Plugin, PluginEntry } from '@bifrost/schemas';
import { Bifrost } from '../bifrost.js';
import { loadPlugins } from '../plugins/load-plugins.js';
import { ConfigAccount } from './config-account.js';

/** A validated config plus the command line's overrides: what every gateway binary starts from. */
export interface EngineFromConfigOptions {
  config: ConfigFile;
  /** Relative plugin paths resolve against it. */
  configDirectory: string;
  logger: Logger;
  /** Plugin names from `-plugins`, loaded after the config's own. */
  extraPlugins?: string[];
  /** Overrides `client.initial_pool_size`. */
  poolSize?: number;
  /** Overrides `client.prometheus_labels`. */
  prometheusLabels?: string[];
  /** Overrides `client.drop_excess_requests`. */
  dropExcessRequests?: boolean;
}

/** Loads the config's plugins (then `-plugins`) and builds the engine on a {@link ConfigAccount}. */
export async function createEngineFromConfig(
  options: EngineFromConfigOptions,
): Promise<{ engine: Bifrost; plugins: Plugin[] }> {
  const { config, logger } = options;
  const client = config.client;
  const configured = config.plugins ?? [];
  const entries: PluginEntry[] = [
    ...configured,
    ...(options.extraPlugins ?? [])
      .filter((name) => !configured.some((entry) => entry.name === name))
      .map((name) => ({ name, enabled: true, config: undefined })),
  ];
  const prometheusLabels =
    options.prometheusLabels && options.prometheusLabels.length > 0
      ? options.prometheusLabels
      : (client?.prometheus_labels ?? []);
  const plugins = await loadPlugins(entries, {
    logger,
    configDirectory: options.configDirectory,
    prometheusLabels,
  });
  const engine = await Bifrost.init({
    account: new ConfigAccount(config),
    plugins,
    logger,
    initialPoolSize: options.poolSize ?? client?.initial_pool_size,
    dropExcessRequests: options.dropExcessRequests ?? client?.drop_excess_requests,
  });
  return { engine, plugins };
}
