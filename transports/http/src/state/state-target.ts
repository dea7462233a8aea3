import { resolve } from 'node:path';
import type { ConfigFile } from '@bifrost/schemas';
import { postgresConnectionString } from './postgres-connection-string.js';

/** Where the gateway keeps its state: a Postgres server, embedded Postgres in the app directory, or memory. */
export type StateTarget =
  | { kind: 'postgres'; connectionString: string; maxConnections?: number }
  | { kind: 'embedded'; directory: string }
  | { kind: 'memory' };

/** Whether the config names something that lives in the store: governance entities, admin auth, or a store. */
function configNamesState(config: ConfigFile): boolean {
  return (
    config.governance !== undefined || config.auth_config !== undefined || config.config_store !== undefined
  );
}

/**
 * Decides where state goes, or that there is none. A Postgres `config_store` wins; otherwise state is embedded in
 * the app directory, which the CLI always gives, so its no-config run keeps virtual keys across restarts. A
 * programmatic gateway without an app directory keeps state only when its config names some, and then in
 * memory, so the many gateways tests start stay quick. `config_store.enabled: false` turns state off.
 */
export function stateTargetFor(config: ConfigFile, appDir: string | undefined): StateTarget | undefined {
  const store = config.config_store;
  if (store?.enabled === false) return undefined;
  if (store?.type === 'postgres') {
    const connectionString = store.connection_string ?? postgresConnectionString(store.config!);
    return { kind: 'postgres', connectionString, maxConnections: store.config?.max_open_conns };
  }
  if (appDir !== undefined) return { kind: 'embedded', directory: resolve(appDir) };
  return configNamesState(config) ? { kind: 'memory' } : undefined;
}
