import {
  authConfigOf,
  type ConfigFile,
  type GovernancePluginConfig,
  type PluginEntry,
} from '@bifrost/schemas';

const isGovernance = (entry: PluginEntry) =>
  entry.name === 'governance' || entry.name === '@bifrost/plugin-governance';

/**
 * The governance plugin's config, gathered from the config file's sections: the `governance` entities, whether
 * inference needs a virtual key, where counters live, where prices come from, and the open store.
 */
export function governancePluginConfig(config: ConfigFile, store: unknown): GovernancePluginConfig {
  // Upstream's older switch: an admin who turned auth off for inference keeps it off.
  const inferenceAuthDisabled = authConfigOf(config)?.disable_auth_on_inference === true;
  return {
    governance: config.governance,
    enforce_auth_on_inference: inferenceAuthDisabled ? false : config.client?.enforce_auth_on_inference,
    counters: config.counters ?? { type: 'memory' },
    pricing: config.framework?.pricing,
    store,
  };
}

/** Whether the config asks for governance even without a store: it names its entities, switches or back ends. */
function configAsksForGovernance(config: ConfigFile): boolean {
  return (
    config.governance !== undefined ||
    config.client?.enforce_auth_on_inference === true ||
    config.framework?.pricing !== undefined ||
    config.counters !== undefined
  );
}

/**
 * Turns the governance plugin on, after the listed plugins, when the gateway keeps state or the config asks for
 * governance. Its post-hook then runs before theirs (post-hooks run in reverse), so a metrics plugin sees the
 * request's cost. A `governance` entry in `plugins` is merged with what the sections say (its own keys win, the
 * store is always the gateway's); one disabled on purpose stays off.
 */
export function withGovernanceEntry(
  entries: PluginEntry[],
  config: ConfigFile,
  store: unknown,
): PluginEntry[] {
  const listed = entries.some(isGovernance);
  if (!listed && store === undefined && !configAsksForGovernance(config)) return entries;
  const gathered = governancePluginConfig(config, store);
  if (!listed) return [...entries, { name: 'governance', enabled: true, config: gathered }];
  return entries.map((entry) => {
    if (!isGovernance(entry)) return entry;
    const own = typeof entry.config === 'object' && entry.config !== null ? entry.config : {};
    return { ...entry, config: { ...gathered, ...own, store } };
  });
}
