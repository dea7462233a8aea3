import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Bifrost, GatewayError } from '@bifrost/core';
import type { Logger, ProviderName } from '@bifrost/schemas';
import { isProviderName } from '@bifrost/schemas';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import { errorResponse, invalidRequest, jsonContentType } from './error-response.js';
import {
  normalizeChatRequest,
  normalizeEmbeddingRequest,
  normalizeTextCompletionRequest,
} from './request/normalize-request.js';
import { readJsonBody } from './request/read-json-body.js';
import { type NodeExchange, type RequestOptionsPolicy, requestOptions } from './request/request-options.js';
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
}

/** What the Node adapter puts in `c.env`; absent under `app.request()` in tests. */
type NodeBindings = { incoming?: IncomingMessage; outgoing?: ServerResponse };

/**
 * Builds the gateway's HTTP app; it never listens, so tests call `app.request()` in-process and `server.ts`
 * serves it. Routes: `POST /v1/chat/completions`, `/v1/text/completions` (and `/v1/completions`),
 * `/v1/embeddings`, `GET /v1/models`, `GET /health`.
 */
export function createHttpApp(options: HttpAppOptions): Hono<{ Bindings: NodeBindings }> {
  const { engine, maxRequestBodyBytes = 100 * 1024 * 1024 } = options;
  const policy: RequestOptionsPolicy = {
    forwardHeaders: options.forwardHeaders ?? false,
    allowDirectKeys: options.allowDirectKeys ?? false,
  };
  const logger = options.logger;
  const app = new Hono<{ Bindings: NodeBindings }>();

  app.post('/v1/chat/completions', async (c) => {
    const body = await readJsonBody(c.req.raw, c.env?.incoming, maxRequestBodyBytes);
    const { request, stream } = normalizeChatRequest(body);
    const callOptions = requestOptions(c.req.raw, policy, nodeExchange(c.env));
    if (stream) {
      const chunks = await engine.chatCompletionStream(request, callOptions);
      const outgoing = c.env?.outgoing;
      if (!outgoing) return sseResponse(chunks);
      await writeSseToNode(chunks, outgoing);
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

  app.get('/health', () => new Response('{"status":"ok"}', { headers: { 'content-type': jsonContentType } }));

  app.notFound((c) =>
    errorResponse(
      new GatewayError('not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`),
    ),
  );

  app.onError((error) => {
    const gatewayError = GatewayError.from(error);
    if (gatewayError.code === 'internal') {
      logger?.error('request failed', { error: describeCause(gatewayError) });
    }
    return errorResponse(gatewayError);
  });

  return app;
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
