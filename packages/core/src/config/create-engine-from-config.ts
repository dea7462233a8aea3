import type { ConfigFile, Logger, Plugin, PluginEntry } from '@bifrost/schemas';
import { Bifrost, type ProvidersReload } from '../bifrost.js';
import { loadPlugins } from '../plugins/load-plugins.js';
import { ConfigAccount } from './config-account.js';
import { withGovernanceEntry } from './with-governance-entry.js';

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
  /** Reads and validates the config file again, for reloads; absent when there is no file. */
  readConfig?: () => Promise<ConfigFile>;
  /**
   * The gateway's open state store (`@bifrost/store`), handed to the governance plugin in process; with it the
   * plugin is loaded even when the config names no governance.
   */
  store?: unknown;
}

/** A gateway's engine built from a config, and the way to apply a new config to it. */
export interface EngineFromConfig {
  engine: Bifrost;
  plugins: Plugin[];
  /**
   * Applies a new validated config's providers and keys (plugins and `client` settings need a restart). When the
   * engine cannot apply it, the running config stays and the promise rejects.
   */
  reload(config: ConfigFile): Promise<ProvidersReload>;
  /** Re-reads the config file (`readConfig`) and applies it; undefined without a file. */
  reloadFromFile: (() => Promise<ProvidersReload>) | undefined;
}

/**
 * Loads the config's plugins (then `-plugins`, then governance and MCP when the config turns them on) and builds
 * the engine on a {@link ConfigAccount}.
 */
export async function createEngineFromConfig(options: EngineFromConfigOptions): Promise<EngineFromConfig> {
  const { config, logger } = options;
  const client = config.client;
  const configured = config.plugins ?? [];
  const listed: PluginEntry[] = [
    ...configured,
    ...(options.extraPlugins ?? [])
      .filter((name) => !configured.some((entry) => entry.name === name))
      .map((name) => ({ name, enabled: true, config: undefined })),
  ];
  const entries = withMcpEntry(withGovernanceEntry(listed, config, options.store), config.mcp);
  const prometheusLabels =
    options.prometheusLabels && options.prometheusLabels.length > 0
      ? options.prometheusLabels
      : (client?.prometheus_labels ?? []);
  const plugins = await loadPlugins(entries, {
    logger,
    configDirectory: options.configDirectory,
    prometheusLabels,
  });
  const account = new ConfigAccount(config);
  const engine = await Bifrost.init({
    account,
    plugins,
    logger,
    initialPoolSize: options.poolSize ?? client?.initial_pool_size,
    dropExcessRequests: options.dropExcessRequests ?? client?.drop_excess_requests,
  });
  const reload = async (next: ConfigFile): Promise<ProvidersReload> => {
    const previous = account.replace(next);
    try {
      return await engine.reloadProviders();
    } catch (error) {
      account.replace(previous);
      throw error;
    }
  };
  const { readConfig } = options;
  const reloadFromFile = readConfig ? async () => reload(await readConfig()) : undefined;
  return { engine, plugins, reload, reloadFromFile };
}

/**
 * As upstream, a top-level `mcp` key turns the MCP plugin on, after the listed plugins; an `mcp` entry without
 * its own config takes that key's, and one disabled on purpose stays off.
 */
function withMcpEntry(entries: PluginEntry[], mcp: ConfigFile['mcp']): PluginEntry[] {
  if (mcp === undefined) return entries;
  const isMcp = (entry: PluginEntry) => entry.name === 'mcp' || entry.name === '@bifrost/plugin-mcp';
  if (!entries.some(isMcp)) return [...entries, { name: 'mcp', enabled: true, config: mcp }];
  return entries.map((entry) =>
    isMcp(entry) && entry.config === undefined ? { ...entry, config: mcp } : entry,
  );
}
