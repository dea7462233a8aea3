import type { ConfigFile } from '@bifrost/schemas';
import type { Store } from '@bifrost/store';

/** Admin authentication as the config file's `auth_config` holds it (upstream's field names). */
export interface AdminAuthConfig {
  is_enabled: boolean;
  admin_username?: string;
  /** The plain password, or `<redacted>` in a `PUT /api/config` body to keep the stored one. */
  admin_password?: string;
  /** Kept and reported for upstream's clients; admin authentication never applies to inference anyway. */
  disable_auth_on_inference?: boolean;
}

/** Options of the management API and the admin guard, `HttpAppOptions.admin`. */
export interface AdminOptions {
  /** `config.auth_config` as validated; undefined = admin auth off. */
  auth?: AdminAuthConfig;
  /** Persists what the API changes (auth settings, providers, keys); absent = in memory only. */
  store?: Store;
  /** The running config (providers, client settings). */
  config(): ConfigFile;
  /** Validates and applies a new config to the running engine (providers and keys); rejects with a ConfigError naming fields. */
  applyConfig?(next: ConfigFile): Promise<unknown>;
  /** With admin auth off, management routes answer only loopback callers unless this is true. @default false */
  openManagementToRemote?: boolean;
  /** Also guard GET /metrics with admin auth. @default false */
  protectMetrics?: boolean;
  /** The clock, in milliseconds since the epoch, for session expiry. @default Date.now */
  now?(): number;
  /** Where `env.VAR` key values are looked up. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}
