import { ConfigError, GatewayError } from '@bifrost/core';
import type { ConfigFile, ProviderConfig, ProviderName } from '@bifrost/schemas';
import type { Store } from '@bifrost/store';
import type { ManagedKey, ManagedProvider } from './managed-provider.js';
import { readStoredProviders, syncStoredProvider } from './stored-providers.js';

/** What the key's own fields do not hold: details by key id. */
interface KeyDetails {
  blacklisted_models: string[];
  reference?: string;
}

/**
 * The providers and keys the management API reads and changes. The running config is the truth for what serves
 * traffic; disabled keys and the details the config has no field for are kept beside it (and in the store). Every
 * change is applied to the engine first, then persisted, one change at a time; a change the engine refuses is a
 * 400 naming the field, and a store failure undoes the change.
 */
export class ProviderCatalog {
  readonly #config: () => ConfigFile;
  readonly #applyConfig: ((next: ConfigFile) => Promise<unknown>) | undefined;
  readonly #store: Store | undefined;
  readonly #disabled = new Map<ProviderName, ManagedKey[]>();
  readonly #details = new Map<string, KeyDetails>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(options: CatalogOptions) {
    this.#config = options.config;
    this.#applyConfig = options.applyConfig;
    this.#store = options.store;
  }

  /**
   * Builds the catalog; with a store, providers changed through the API earlier are applied over the config file's
   * (the store holds the newer edit) and disabled keys come back.
   */
  static async load(options: CatalogOptions & { env: Readonly<Record<string, string | undefined>> }) {
    const catalog = new ProviderCatalog(options);
    if (!options.store) return catalog;
    const stored = await readStoredProviders(options.store, options.env);
    if (stored.length === 0) return catalog;
    for (const provider of stored) catalog.#remember(provider);
    if (options.applyConfig) {
      const running = options.config();
      const providers = { ...running.providers };
      for (const provider of stored) providers[provider.name] = runningEntry(provider);
      await options.applyConfig({ ...running, providers });
    }
    return catalog;
  }

  /** Every provider, by name. */
  list(): ManagedProvider[] {
    const names = Object.keys(this.#config().providers) as ProviderName[];
    return names
      .sort()
      .map((name) => this.get(name))
      .filter((provider) => provider !== undefined);
  }

  /** The provider, or undefined when the running config has none by that name. */
  get(name: ProviderName): ManagedProvider | undefined {
    const entry = this.#config().providers[name];
    if (entry === undefined) return undefined;
    const { keys, ...settings } = entry;
    const running = keys.map((key, index): ManagedKey => {
      // Keys from the config file may have no id: one from their place is stable until the file changes.
      const id = key.id ?? `${name}-${index + 1}`;
      const details = this.#details.get(id);
      return {
        id,
        name: key.name ?? id,
        value: key.value,
        models: key.models,
        weight: key.weight,
        enabled: true,
        blacklisted_models: details?.blacklisted_models ?? [],
        ...(details?.reference === undefined ? {} : { reference: details.reference }),
      };
    });
    return { name, settings, keys: [...running, ...(this.#disabled.get(name) ?? [])] };
  }

  /** Makes `next` the provider `name` (undefined deletes it): applied to the engine, then persisted. */
  write(name: ProviderName, next: ManagedProvider | undefined): Promise<void> {
    const run = this.#queue.then(() => this.#write(name, next));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #write(name: ProviderName, next: ManagedProvider | undefined): Promise<void> {
    if (!this.#applyConfig) {
      throw new GatewayError('invalid_request', 'this gateway cannot change providers while it runs', {
        statusCode: 501,
      });
    }
    const previous = this.#config();
    const before = this.get(name);
    const providers = { ...previous.providers };
    if (next === undefined) delete providers[name];
    else providers[name] = runningEntry(next);
    await applyOrExplain(this.#applyConfig, { ...previous, providers });
    this.#forget(name, before);
    if (next) this.#remember(next);
    if (!this.#store) return;
    try {
      await syncStoredProvider(this.#store, name, next);
    } catch (error) {
      await this.#applyConfig(previous).catch(() => undefined);
      this.#forget(name, next);
      if (before) this.#remember(before);
      throw new GatewayError('provider_unavailable', 'the change was not saved: the store is unavailable', {
        statusCode: 503,
        cause: error,
      });
    }
  }

  #remember(provider: ManagedProvider): void {
    for (const key of provider.keys) {
      this.#details.set(key.id, {
        blacklisted_models: key.blacklisted_models,
        ...(key.reference === undefined ? {} : { reference: key.reference }),
      });
    }
    const disabled = provider.keys.filter((key) => !key.enabled);
    if (disabled.length > 0) this.#disabled.set(provider.name, disabled);
  }

  #forget(name: ProviderName, provider: ManagedProvider | undefined): void {
    for (const key of provider?.keys ?? []) this.#details.delete(key.id);
    this.#disabled.delete(name);
  }
}

/** What {@link ProviderCatalog.load} needs. */
interface CatalogOptions {
  config: () => ConfigFile;
  applyConfig: ((next: ConfigFile) => Promise<unknown>) | undefined;
  store: Store | undefined;
}

/** The provider's entry in the running config: its settings and its enabled keys. */
function runningEntry(provider: ManagedProvider): ProviderConfig {
  const keys = provider.keys
    .filter((key) => key.enabled)
    .map(({ id, name, value, models, weight }) => ({ id, name, value, models, weight }));
  return { ...provider.settings, keys };
}

/** Applies a config, turning the engine's refusal into a 400 that names each field at fault. */
async function applyOrExplain(
  apply: (next: ConfigFile) => Promise<unknown>,
  next: ConfigFile,
): Promise<void> {
  try {
    await apply(next);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const message = error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new GatewayError('invalid_request', message || error.message, { param: error.issues[0]?.path });
  }
}
