import type { Account, ConfigFile, Key, ProviderConfig, ProviderName } from '@bifrost/schemas';

/** An {@link Account} backed by a validated config file. */
export class ConfigAccount implements Account {
  private config: ConfigFile;
  private names: ProviderName[];

  constructor(config: ConfigFile) {
    this.config = config;
    this.names = Object.keys(config.providers) as ProviderName[];
  }

  /**
   * Swaps in a new validated config and returns the one it replaced: keys take effect on the next request,
   * provider settings on the engine's `reloadProviders()`.
   */
  replace(config: ConfigFile): ConfigFile {
    const previous = this.config;
    this.config = config;
    this.names = Object.keys(config.providers) as ProviderName[];
    return previous;
  }

  getConfiguredProviders(): readonly ProviderName[] {
    return this.names;
  }

  getKeysForProvider(provider: ProviderName): readonly Key[] {
    return this.config.providers[provider]?.keys ?? [];
  }

  getConfigForProvider(provider: ProviderName): ProviderConfig {
    const config = this.config.providers[provider];
    if (!config) throw new Error(`provider "${provider}" is not in the config`);
    return config;
  }
}
