import { GatewayError } from '@bifrost/core';
import { authConfigOf, type Logger } from '@bifrost/schemas';
import { Hono } from 'hono';
import { describeCause, errorResponse } from '../error-response.js';
import type { HttpEnv } from '../http-env.js';
import { AdminAuth } from './admin-auth.js';
import { adminGuard, type GuardState } from './admin-guard.js';
import type { AdminOptions } from './admin-options.js';
import { AdminSettings } from './admin-settings.js';
import { registerConfigRoutes } from './config-routes.js';
import { ProviderCatalog } from './provider-catalog.js';
import { registerProviderKeyRoutes } from './provider-key-routes.js';
import { registerProviderRoutes } from './provider-routes.js';
import { registerSessionRoutes } from './session-routes.js';
import { StoredConfig } from './stored-config.js';

/** The management API once its state is loaded: the guard's view and the app that serves the routes. */
interface AdminRuntime {
  guard: GuardState & { stored: StoredConfig };
  routes: Hono<HttpEnv>;
}

/** Answers of the routes' app that matched no route, so the main app goes on to its own routes. */
const unmatched = new WeakSet<Response>();

/**
 * Installs the admin guard on `app` and, with `options`, the management routes (`/api/session/*`, `/api/config`,
 * `/api/version`, `/api/providers`, `/api/keys`). Call it before any other route is registered: the guard must run
 * first. Loading the account and settings is asynchronous while building the app is not, so requests to
 * management routes wait for it; if it fails they answer 503 (and the failure is logged), inference is unaffected.
 */
export function installAdmin(app: Hono<HttpEnv>, options: AdminOptions | undefined, logger?: Logger): void {
  const runtime = options ? loadAdminRuntime(options, logger) : undefined;
  runtime?.catch((error: unknown) =>
    logger?.error('management API unavailable', { error: describeCause(GatewayError.from(error)) }),
  );
  const ready = async () => {
    if (runtime === undefined) return undefined;
    try {
      return await runtime;
    } catch (error) {
      throw new GatewayError(
        'provider_unavailable',
        'the management API failed to start; see the gateway log',
        {
          statusCode: 503,
          cause: error,
        },
      );
    }
  };
  const guard = adminGuard({
    state: async () => (await ready())?.guard ?? { auth: undefined, whitelistedRoutes: [] },
    openManagementToRemote: options?.openManagementToRemote,
    protectMetrics: options?.protectMetrics,
  });
  // Mounted on the guarded prefixes only, so inference pays nothing; the router matches a path for the guard
  // exactly as it does for the route, so no spelling of a path reaches a route without passing the guard.
  for (const path of guardedPaths(options?.protectMetrics === true)) app.use(path, guard);
  if (runtime === undefined) return;
  app.all('/api/*', async (c, next) => {
    const { routes } = (await ready()) as AdminRuntime;
    const response = await routes.fetch(c.req.raw, c.env);
    if (unmatched.has(response)) return next();
    return response;
  });
}

/** Hono's `/api/*` matches `/api` itself too. */
function guardedPaths(protectMetrics: boolean): string[] {
  return ['/api/*', '/v1/mcp/tool/execute', ...(protectMetrics ? ['/metrics'] : [])];
}

async function loadAdminRuntime(options: AdminOptions, logger: Logger | undefined): Promise<AdminRuntime> {
  const { store, config, applyConfig } = options;
  const settings = new AdminSettings(store);
  const env = options.env ?? process.env;
  const [auth, stored, catalog] = await Promise.all([
    AdminAuth.start({ auth: options.auth, settings, now: options.now ?? Date.now }),
    StoredConfig.load(settings),
    ProviderCatalog.load({ config, applyConfig, store, env }),
  ]);
  const routes = new Hono<HttpEnv>();
  registerSessionRoutes(routes, auth, {
    // What the running gateway does, not what a PUT saved for the next start: governance read these at start-up.
    inferenceAuthEnforced: () => {
      const running = config();
      return (
        running.client?.enforce_auth_on_inference === true &&
        authConfigOf(running)?.disable_auth_on_inference !== true
      );
    },
  });
  registerConfigRoutes(routes, { auth, stored, config, store });
  registerProviderRoutes(routes, { catalog, env });
  registerProviderKeyRoutes(routes, { catalog, env });
  routes.notFound(() => {
    const response = new Response(null, { status: 404 });
    unmatched.add(response);
    return response;
  });
  routes.onError((error) => {
    const gatewayError = GatewayError.from(error);
    if (gatewayError.statusCode >= 500)
      logger?.error('management request failed', { error: describeCause(gatewayError) });
    return errorResponse(gatewayError);
  });
  return {
    guard: {
      auth,
      stored,
      get whitelistedRoutes() {
        return stored.whitelistedRoutes();
      },
    },
    routes,
  };
}
