import type { ConfigFile } from '@bifrost/schemas';
import type { Store } from '@bifrost/store';
import type { Hono } from 'hono';
import packageJson from '../../package.json' with { type: 'json' };
import { invalidRequest } from '../error-response.js';
import type { HttpEnv } from '../http-env.js';
import type { AdminAccount, AdminAuth } from './admin-auth.js';
import type { AdminAuthConfig } from './admin-options.js';
import { needsRestart, runningClientConfig, validateClientConfig } from './client-config.js';
import { adminJson, readAdminJson } from './read-admin-json.js';
import type { StoredConfig } from './stored-config.js';

/** What the config routes read and change. */
export interface ConfigRouteContext {
  auth: AdminAuth;
  stored: StoredConfig;
  config: () => ConfigFile;
  store: Store | undefined;
}

/**
 * `GET /api/version`, and `GET`/`PUT /api/config` in upstream's shape: the client, framework and auth settings.
 * A `PUT` is checked whole before anything is written, so a 400 changes nothing.
 */
export function registerConfigRoutes(app: Hono<HttpEnv>, context: ConfigRouteContext): void {
  const { auth, stored, config, store } = context;

  app.get('/api/version', () => adminJson(packageJson.version));

  app.get('/api/config', async () => {
    const running = config();
    const answer: Record<string, unknown> = {
      client_config: { ...runningClientConfig(running), ...stored.client },
      framework_config: stored.framework ?? {},
      is_db_connected: store !== undefined && (await store.health()).status === 'available',
      is_cache_connected: false,
      is_logs_connected: store !== undefined,
      proxy_config: null,
      restart_required: needsRestart(stored.client, running),
    };
    const authConfig = auth.publicConfig();
    if (authConfig !== undefined) answer.auth_config = authConfig;
    return adminJson(answer);
  });

  app.put('/api/config', async (c) => {
    const body = await readAdminJson(c);
    const client = body.client_config === undefined ? undefined : validateClientConfig(body.client_config);
    const framework = body.framework_config === undefined ? undefined : objectField(body, 'framework_config');
    let account: AdminAccount | undefined;
    if (body.auth_config !== undefined) account = await auth.prepareUpdate(authConfigOf(body.auth_config));
    await stored.save({ client, framework });
    if (account !== undefined) await auth.commit(account);
    return adminJson({ status: 'success', message: 'Configuration updated successfully' });
  });

  // Upstream's collections probe it; there is no metadata to keep here, so it only answers as upstream does.
  app.post('/api/config/metadata', () => adminJson({ success: true }));
}

function objectField(body: Record<string, unknown>, field: string): Record<string, unknown> {
  const value = body[field];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest('must be an object', field);
  }
  return value as Record<string, unknown>;
}

/** Checks the types of a `PUT /api/config` `auth_config`; the account rules are {@link AdminAuth.prepareUpdate}'s. */
function authConfigOf(value: unknown): AdminAuthConfig {
  const auth = objectField({ auth_config: value }, 'auth_config');
  const optional = (field: string, type: 'string' | 'boolean') => {
    if (auth[field] !== undefined && typeof auth[field] !== type) {
      throw invalidRequest(`must be a ${type}`, `auth_config.${field}`);
    }
    return auth[field];
  };
  return {
    is_enabled: (optional('is_enabled', 'boolean') as boolean | undefined) ?? false,
    admin_username: optional('admin_username', 'string') as string | undefined,
    admin_password: optional('admin_password', 'string') as string | undefined,
    disable_auth_on_inference: optional('disable_auth_on_inference', 'boolean') as boolean | undefined,
  };
}
