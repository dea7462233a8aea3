import type { Key, ProviderConfig } from './config.js';
import type { ProviderName } from './provider.js';

/**
 * Where the engine gets providers, keys and settings from. The HTTP transport backs it with the config file; a
 * library user can back it with anything (a database, a secrets manager), synchronously or not.
 */
export interface Account {
  /** The providers requests may be routed to. */
  getConfiguredProviders(): readonly ProviderName[] | Promise<readonly ProviderName[]>;
  /** The keys of one provider; asked once per request, so a rotated key takes effect at once. */
  getKeysForProvider(provider: ProviderName): readonly Key[] | Promise<readonly Key[]>;
  /** The settings of one provider; asked once, when the provider is first used. */
  getConfigForProvider(provider: ProviderName): ProviderConfig | Promise<ProviderConfig>;
}
