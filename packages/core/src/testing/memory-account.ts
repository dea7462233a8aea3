import {
  type Account,
  type ConfigFileInput,
  type Key,
  type ProviderConfig,
  type ProviderName,
  providerConfigSchema,
} from '@bifrost/schemas';

/** One provider's settings as a config file would write them, before defaults. */
export type ProviderConfigInput = NonNullable<ConfigFileInput['providers'][ProviderName]>;

/**
 * An {@link Account} held in memory for tests: settings are written as in a config file and get the same
 * defaults; keys may be swapped between requests to simulate rotation.
 */
export class MemoryAccount implements Account {
  private readonly configs = new Map<ProviderName, ProviderConfig>();

  constructor(providers: Partial<Record<ProviderName, ProviderConfigInput>>) {
    for (const [name, input] of Object.entries(providers) as [ProviderName, ProviderConfigInput][]) {
      this.configs.set(name, providerConfigSchema.parse(input));
    }
  }

  getConfiguredProviders(): readonly ProviderName[] {
    return [...this.configs.keys()];
  }

  getKeysForProvider(provider: ProviderName): readonly Key[] {
    return this.configs.get(provider)?.keys ?? [];
  }

  getConfigForProvider(provider: ProviderName): ProviderConfig {
    const config = this.configs.get(provider);
    if (!config) throw new Error(`provider "${provider}" is not in the memory account`);
    return config;
  }

  /** Replaces a provider's keys; the next request sees them. */
  setKeys(provider: ProviderName, keys: Key[]): void {
    const config = this.getConfigForProvider(provider);
    this.configs.set(provider, { ...config, keys });
  }
}
