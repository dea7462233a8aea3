import type { ProviderConfig, ProviderName } from '@bifrost/schemas';

/** A provider key as the management API sees it: the running config's fields plus what only the API keeps. */
export interface ManagedKey {
  id: string;
  name: string;
  /** The secret itself (resolved from `reference` when there is one). */
  value: string;
  /** The `env.VAR` the value was read from; stored instead of the secret. */
  reference?: string;
  models: string[];
  /** Kept and returned for upstream's clients; not enforced by the engine yet. */
  blacklisted_models: string[];
  weight: number;
  /** A disabled key stays in the catalog but out of the running config. */
  enabled: boolean;
}

/** A provider's settings: its config-file entry without the keys. */
export type ProviderSettings = Omit<ProviderConfig, 'keys'>;

/** A provider as the management API sees it. */
export interface ManagedProvider {
  name: ProviderName;
  settings: ProviderSettings;
  keys: ManagedKey[];
}
