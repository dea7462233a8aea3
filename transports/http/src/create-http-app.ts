import { type Bifrost, GatewayError, type ProvidersReload } from '@bifrost/core';
import type { Logger } from '@bifrost/schemas';
import { Hono } from 'hono';
import type { AdminOptions } from './admin/admin-options.js';
import { installAdmin } from './admin/install-admin.js';
import { describeCause, errorResponse } from './error-response.js';
import type { HttpEnv } from './http-env.js';
import {
  integrationNotFound,
  registerIntegrationRoutes,
} from './integrations/register-integration-routes.js';
import { observeRequests } from './observe-requests.js';
import type { OperationContext } from './operations/operation-context.js';
import { RequestBodyBudget } from './request/request-body-budget.js';
import type { RequestOptionsPolicy } from './request/request-options.js';
import { registerChatCompletionsRoute } from './routes/chat-completions-route.js';
import { registerConfigReloadRoute } from './routes/config-reload-route.js';
import { registerEmbeddingsRoute } from './routes/embeddings-route.js';
import { registerHealthRoute } from './routes/health-route.js';
import { registerModelsRoute } from './routes/models-route.js';
import { registerPluginRoutes } from './routes/plugin-routes.js';
import { registerTextCompletionsRoute } from './routes/text-completions-route.js';

const mebibyte = 1024 * 1024;

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions {
  engine: Bifrost;
  logger?: Logger;
  /** Bodies larger than this are refused with 413. @default 10 MiB */
  maxRequestBodyBytes?: number;
  /**
   * Body bytes all requests may hold at once; past it requests are refused with 429 and `Retry-After`.
   * @default 256 MiB
   */
  maxInFlightRequestBodyBytes?: number;
  /** Collects garbage once a burst of large bodies is over, so the memory goes back to the OS. @default none */
  reclaimMemory?: () => void;
  /** Use a caller's `Authorization: Bearer` / `x-api-key` as the provider key. @default false */
  allowDirectKeys?: boolean;
  /** Hand incoming headers (minus credentials) to plugins. @default false */
  forwardHeaders?: boolean;
  /** Re-reads and applies the config file, for `POST /api/config/reload`; absent without a config file. */
  reloadConfig?: () => Promise<ProvidersReload>;
  /**
   * The management API (`/api/session/*`, `/api/config`, `/api/providers`, `/api/keys`) and admin authentication.
   * Without it the management routes there are (plugins', reloads) still answer only callers on this machine.
   */
  admin?: AdminOptions;
}

/**
 * Builds the gateway's HTTP app; it never listens, so tests call `app.request()` in-process and `startGateway`
 * serves it. Routes: `POST /v1/chat/completions`, `/v1/text/completions` (and `/v1/completions`),
 * `/v1/embeddings`, `GET /v1/models`, `GET /health`, the SDK integrations under `/openai`, `/anthropic`, `/genai`
 * and `/litellm`, plus the engine's plugins' `httpRoutes`. When a plugin defines `onHttpRequest`, a middleware
 * measures every request for it; otherwise there is none. The admin guard keeps `/api/*`, MCP tool execution and
 * (optionally) `/metrics` to the admin; it never applies to inference.
 */
export function createHttpApp(options: HttpAppOptions): Hono<HttpEnv> {
  const {
    engine,
    logger,
    maxRequestBodyBytes = 10 * mebibyte,
    maxInFlightRequestBodyBytes = 256 * mebibyte,
  } = options;
  const policy: RequestOptionsPolicy = {
    forwardHeaders: options.forwardHeaders ?? false,
    allowDirectKeys: options.allowDirectKeys ?? false,
  };
  const app = new Hono<HttpEnv>();
  const plugins = engine.plugins ?? [];
  // Only plugins read a virtual key (through `virtualKeyOf`); without any, the headers are not looked at.
  policy.readVirtualKeys = plugins.length > 0;
  const observers = plugins.filter((plugin) => plugin.onHttpRequest !== undefined);
  const measuring = observers.length > 0;
  if (measuring) app.use(observeRequests(observers, logger));
  // Before every route, plugins' included: a middleware only runs for routes registered after it.
  installAdmin(app, options.admin, logger);

  const bodyBudget = new RequestBodyBudget(maxInFlightRequestBodyBytes, { reclaim: options.reclaimMemory });
  const context: OperationContext = { engine, policy, maxRequestBodyBytes, bodyBudget, measuring, logger };
  registerChatCompletionsRoute(app, context);
  registerTextCompletionsRoute(app, context);
  registerEmbeddingsRoute(app, context);
  registerModelsRoute(app, context);
  registerIntegrationRoutes(app, context);
  registerConfigReloadRoute(app, options.reloadConfig);
  registerHealthRoute(app);
  registerPluginRoutes(app, plugins);

  app.notFound((c) => {
    const pathname = new URL(c.req.url).pathname;
    return (
      integrationNotFound(c.req.method, pathname) ??
      errorResponse(new GatewayError('not_found', `no route for ${c.req.method} ${pathname}`))
    );
  });

  // A client that leaves mid-upload or mid-request is routine: counted at debug, or a flood of them floods the log.
  let cancelledRequests = 0;
  app.onError((error) => {
    const gatewayError = GatewayError.from(error);
    if (gatewayError.code === 'internal') {
      logger?.error('request failed', { error: describeCause(gatewayError) });
    } else if (gatewayError.code === 'cancelled') {
      cancelledRequests++;
      logger?.debug('client went away before its answer', {
        reason: gatewayError.message,
        cancelled_requests: cancelledRequests,
      });
    }
    return errorResponse(gatewayError);
  });

  return app;
}
