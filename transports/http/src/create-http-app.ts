import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Bifrost, GatewayError, type ProvidersReload } from '@bifrost/core';
import type { HttpRequestEvent, Logger, Plugin, ProviderName } from '@bifrost/schemas';
import { isProviderName } from '@bifrost/schemas';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { type Context, Hono } from 'hono';
import { matchedRoutes } from 'hono/route';
import { errorResponse, invalidRequest, jsonContentType } from './error-response.js';
import {
  integrationNotFound,
  registerIntegrationRoutes,
} from './integrations/register-integration-routes.js';
import {
  normalizeChatRequest,
  normalizeEmbeddingRequest,
  normalizeTextCompletionRequest,
} from './request/normalize-request.js';
import { readJsonBody } from './request/read-json-body.js';
import {
  type NodeExchange,
  nodePluginHeaders,
  type RequestOptionsPolicy,
  requestOptions,
  webPluginHeaders,
} from './request/request-options.js';
import { registerConfigReloadRoute } from './routes/config-reload-route.js';
import { sseResponse } from './sse-response.js';
import { writeSseToNode } from './write-sse-to-node.js';

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions {
  engine: Bifrost;
  logger?: Logger;
  /** Bodies larger than this are refused with 413. @default 100 MiB */
  maxRequestBodyBytes?: number;
  /** Use a caller's `Authorization: Bearer` / `x-api-key` as the provider key. @default false */
  allowDirectKeys?: boolean;
  /** Hand incoming headers (minus credentials) to plugins. @default false */
  forwardHeaders?: boolean;
  /** Re-reads and applies the config file, for `POST /api/config/reload`; absent without a config file. */
  reloadConfig?: () => Promise<ProvidersReload>;
}

/** What the Node adapter puts in `c.env`; absent under `app.request()` in tests. */
export type NodeBindings = { incoming?: IncomingMessage; outgoing?: ServerResponse };
/** Set by a handler that wrote its answer straight to the socket, for `onHttpRequest` plugins. */
type Variables = { responseBytes?: number };
/** The Hono environment of the gateway's app, shared with the SDK integrations' routes. */
export type HttpEnv = { Bindings: NodeBindings; Variables: Variables };

/**
 * Builds the gateway's HTTP app; it never listens, so tests call `app.request()` in-process and `server.ts`
 * serves it. Routes: `POST /v1/chat/completions`, `/v1/text/completions` (and `/v1/completions`),
 * `/v1/embeddings`, `GET /v1/models`, `GET /health`, the SDK integrations under `/openai`, `/anthropic`, `/genai`
 * and `/litellm`, plus the engine's plugins' `httpRoutes`. When a plugin defines `onHttpRequest`, a middleware
 * measures every request for it; otherwise there is none.
 */
export function createHttpApp(options: HttpAppOptions): Hono<HttpEnv> {
  const { engine, maxRequestBodyBytes = 100 * 1024 * 1024 } = options;
  const policy: RequestOptionsPolicy = {
    forwardHeaders: options.forwardHeaders ?? false,
    allowDirectKeys: options.allowDirectKeys ?? false,
  };
  const logger = options.logger;
  const app = new Hono<HttpEnv>();
  const plugins = engine.plugins ?? [];
  const observers = plugins.filter((plugin) => plugin.onHttpRequest !== undefined);
  const measuring = observers.length > 0;
  if (measuring) app.use(observeRequests(observers, logger));

  app.post('/v1/chat/completions', async (c) => {
    const body = await readJsonBody(c.req.raw, c.env?.incoming, maxRequestBodyBytes);
    const { request, stream } = normalizeChatRequest(body);
    const callOptions = requestOptions(c.req.raw, policy, nodeExchange(c.env));
    if (stream) {
      const chunks = await engine.chatCompletionStream(request, callOptions);
      const outgoing = c.env?.outgoing;
      if (!outgoing) return sseResponse(chunks);
      const bytes = await writeSseToNode(chunks, outgoing, measuring);
      if (measuring) c.set('responseBytes', bytes);
      return RESPONSE_ALREADY_SENT;
    }
    return jsonResponse(await engine.chatCompletion(request, callOptions));
  });

  const textCompletion = async (c: { req: { raw: Request }; env: NodeBindings | undefined }) => {
    const body = await readJsonBody(c.req.raw, c.env?.incoming, maxRequestBodyBytes);
    const { request } = normalizeTextCompletionRequest(body);
    return jsonResponse(
      await engine.textCompletion(request, requestOptions(c.req.raw, policy, nodeExchange(c.env))),
    );
  };
  app.post('/v1/text/completions', textCompletion);
  app.post('/v1/completions', textCompletion);

  app.post('/v1/embeddings', async (c) => {
    const body = await readJsonBody(c.req.raw, c.env?.incoming, maxRequestBodyBytes);
    const { request } = normalizeEmbeddingRequest(body);
    return jsonResponse(
      await engine.embedding(request, requestOptions(c.req.raw, policy, nodeExchange(c.env))),
    );
  });

  app.get('/v1/models', async (c) => {
    const provider = c.req.query('provider');
    if (provider !== undefined && !isProviderName(provider)) {
      throw invalidRequest(`unknown provider ${JSON.stringify(provider)}`, 'provider');
    }
    const data = await engine.listModels(
      provider as ProviderName | undefined,
      requestOptions(c.req.raw, policy, nodeExchange(c.env)),
    );
    return new Response(JSON.stringify({ object: 'list', data }), {
      headers: { 'content-type': jsonContentType },
    });
  });

  registerIntegrationRoutes(app, { engine, policy, maxRequestBodyBytes, measuring, logger });

  registerConfigReloadRoute(app, options.reloadConfig);

  app.get('/health', () => new Response('{"status":"ok"}', { headers: { 'content-type': jsonContentType } }));

  for (const plugin of plugins) {
    for (const route of plugin.httpRoutes ?? []) {
      app.on(route.method, route.path, (c) => route.handle(c.req.raw));
    }
  }

  app.notFound((c) => {
    const pathname = new URL(c.req.url).pathname;
    return (
      integrationNotFound(c.req.method, pathname) ??
      errorResponse(new GatewayError('not_found', `no route for ${c.req.method} ${pathname}`))
    );
  });

  app.onError((error) => {
    const gatewayError = GatewayError.from(error);
    if (gatewayError.code === 'internal') {
      logger?.error('request failed', { error: describeCause(gatewayError) });
    }
    return errorResponse(gatewayError);
  });

  return app;
}

/** The route label of a request that matched no route: unknown paths must not each become a label value. */
const unmatchedRoute = 'unmatched';

/**
 * A middleware that tells plugins about each request once its answer is out. Served by Node, it waits for the
 * response to finish and reads the size from what was written (the adapter sets `content-length` on the bodies
 * it sends whole; a stream counts its own bytes), so that measuring never turns the adapter's fast responses into
 * web streams. It reports in `finally`, so an error answer is measured too.
 */
function observeRequests(observers: readonly Plugin[], logger: Logger | undefined) {
  const report = (event: HttpRequestEvent) => {
    for (const plugin of observers) {
      try {
        plugin.onHttpRequest!(event);
      } catch (error) {
        logger?.error('plugin onHttpRequest failed; skipping it', {
          plugin: plugin.name,
          error: (error as Error).message,
        });
      }
    }
  };
  return async (c: Context<HttpEnv>, next: () => Promise<void>) => {
    const startedAt = performance.now();
    try {
      await next();
    } finally {
      const route = routeTemplate(c);
      const incoming = c.env?.incoming;
      const outgoing = c.env?.outgoing;
      if (incoming && outgoing) {
        const headers = nodePluginHeaders(incoming.headers);
        const streamedBytes = c.get('responseBytes');
        const finish = () =>
          report({
            method: c.req.method,
            route,
            status: outgoing.statusCode,
            durationSeconds: (performance.now() - startedAt) / 1000,
            requestBytes: Number(headers['content-length'] ?? 0) || 0,
            responseBytes: streamedBytes ?? (Number(outgoing.getHeader('content-length') ?? 0) || 0),
            headers,
          });
        if (outgoing.writableFinished || outgoing.destroyed) finish();
        else onceFinished(outgoing, finish);
      } else {
        const headers = webPluginHeaders(c.req.raw.headers);
        const response = c.res;
        const measured = bodyBytes(response).then((responseBytes) =>
          report({
            method: c.req.method,
            route,
            status: response.status,
            durationSeconds: (performance.now() - startedAt) / 1000,
            requestBytes: Number(headers['content-length'] ?? 0) || 0,
            responseBytes,
            headers,
          }),
        );
        // A stream is measured as the client reads it; holding it here would send nothing until it ended.
        if (!response.headers.get('content-type')?.startsWith('text/event-stream')) await measured;
      }
    }
  };
}

/** Calls `done` once, when the response has been handed to the OS or the connection closed first. */
function onceFinished(outgoing: ServerResponse, done: () => void): void {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    outgoing.off('finish', once);
    outgoing.off('close', once);
    done();
  };
  outgoing.on('finish', once);
  outgoing.on('close', once);
}

/** The template of the route that answered (`/v1/chat/completions`), not the raw path. */
function routeTemplate(c: Context<HttpEnv>): string {
  const routes = matchedRoutes(c);
  // Middleware registers as method ALL; every route that answers has a method of its own.
  for (let index = routes.length - 1; index >= 0; index--) {
    const route = routes[index]!;
    if (route.method !== 'ALL') return route.path;
  }
  return unmatchedRoute;
}

/** Outside Node's adapter (`app.request()`), where there is no socket to count from. */
async function bodyBytes(response: Response): Promise<number> {
  if (response.body === null) return 0;
  const length = response.headers.get('content-length');
  if (length !== null) return Number(length) || 0;
  return (await response.clone().arrayBuffer()).byteLength;
}

function nodeExchange(env: NodeBindings | undefined): NodeExchange | undefined {
  return env?.incoming && env.outgoing ? (env as NodeExchange) : undefined;
}

function jsonResponse(result: { extra_fields: { retries?: number } }): Response {
  return new Response(JSON.stringify(result), {
    status: 200,
    headers: { 'content-type': jsonContentType, 'x-bf-retries': String(result.extra_fields.retries ?? 0) },
  });
}

function describeCause(error: GatewayError): string {
  const cause = error.cause;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : error.message;
}
