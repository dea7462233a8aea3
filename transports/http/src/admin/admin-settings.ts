import type { Store } from '@bifrost/store';

/** The settings the management API keeps, by key. */
export const settingKeys = {
  adminAccount: 'admin_account',
  sessionSecret: 'session_secret',
  clientConfig: 'client_config',
  frameworkConfig: 'framework_config',
} as const;

/**
 * Gateway-wide settings in the store when there is one, else in this process's memory (lost on restart). The one
 * place the management API reads and writes them, so routes need not care which.
 */
export class AdminSettings {
  readonly #store: Store | undefined;
  readonly #memory = new Map<string, object>();

  constructor(store: Store | undefined) {
    this.#store = store;
  }

  /** Whether changes outlive the process. */
  get persistent(): boolean {
    return this.#store !== undefined;
  }

  /** The value under `key`, or undefined. */
  async get<Value extends object>(key: string): Promise<Value | undefined> {
    if (this.#store) return this.#store.settings.get<Value>(key);
    return this.#memory.get(key) as Value | undefined;
  }

  /** Writes `value` under `key`. */
  async set(key: string, value: object): Promise<void> {
    if (this.#store) await this.#store.settings.set(key, value);
    else this.#memory.set(key, value);
  }

  /** The value under `key`, writing `initial` first when there is none; instances sharing a store agree on it. */
  async getOrCreate<Value extends object>(key: string, initial: Value): Promise<Value> {
    if (this.#store) return this.#store.settings.getOrCreate(key, initial);
    if (!this.#memory.has(key)) this.#memory.set(key, initial);
    return this.#memory.get(key) as Value;
  }
}
