import { type AdminSettings, settingKeys } from './admin-settings.js';

/**
 * The `client_config` and `framework_config` last sent to `PUT /api/config`, kept whole (unknown fields included)
 * and cached here so the guard can read `whitelisted_routes` on every request without a query.
 */
export class StoredConfig {
  readonly #settings: AdminSettings;
  #client: Record<string, unknown> | undefined;
  #framework: Record<string, unknown> | undefined;

  private constructor(settings: AdminSettings) {
    this.#settings = settings;
  }

  /** Reads what the store holds. */
  static async load(settings: AdminSettings): Promise<StoredConfig> {
    const stored = new StoredConfig(settings);
    stored.#client = await settings.get(settingKeys.clientConfig);
    stored.#framework = await settings.get(settingKeys.frameworkConfig);
    return stored;
  }

  /** The stored `client_config`, or undefined before the first `PUT`. */
  get client(): Record<string, unknown> | undefined {
    return this.#client;
  }

  /** The stored `framework_config`, or undefined before the first `PUT`. */
  get framework(): Record<string, unknown> | undefined {
    return this.#framework;
  }

  /** `client_config.whitelisted_routes` as stored. */
  whitelistedRoutes(): readonly string[] {
    const routes = this.#client?.whitelisted_routes;
    return Array.isArray(routes) ? (routes as string[]) : [];
  }

  /** Replaces whichever of the two is given, in the store first. */
  async save(next: { client?: Record<string, unknown>; framework?: Record<string, unknown> }): Promise<void> {
    if (next.client !== undefined) {
      await this.#settings.set(settingKeys.clientConfig, next.client);
      this.#client = next.client;
    }
    if (next.framework !== undefined) {
      await this.#settings.set(settingKeys.frameworkConfig, next.framework);
      this.#framework = next.framework;
    }
  }
}
