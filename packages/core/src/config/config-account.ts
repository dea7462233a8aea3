import type { Account, ConfigFile, Key, ProviderConfig, ProviderName } from '@bifrost/schemas';

/** An {@link Account} backed by a validated config file. */
export class ConfigAccount implements Account {
  private readonly config: ConfigFile;
  private readonly names: ProviderName[];

  constructor(config: ConfigFile) {
    this.config = config;
    this.names = Object.keys(config.providers) as ProviderName[];
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
