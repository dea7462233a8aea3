import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import {
  type LoopbackServer,
  type RecordedRequest,
  startLoopbackServer,
  writeJson,
} from './loopback-server.js';
import { writeSseStream } from './sse.js';

const fixturesDirectory = new URL('../../packages/core/src/providers/azure/__fixtures__/', import.meta.url);

/** Reads one of Azure's documented example bodies from the provider's `__fixtures__`; a fresh copy each call. */
export function readAzureFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, fixturesDirectory), 'utf8')) as T;
}

/** What the fake does with one data-plane request. */
export type AzureReply =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'sse'; chunks: unknown[]; done?: boolean; dropConnection?: boolean }
  /** Accept the request and never answer. */
  | { kind: 'hang' };

/** Options for {@link startAzureUpstream}. */
export interface AzureUpstreamOptions {
  /** Accepted `api-key` header values. */
  apiKeys?: string[];
  /** Deployments that exist; another name gets Azure's 404 `DeploymentNotFound`. */
  deployments?: string[];
  /** Entra ID app registrations the token endpoint accepts (client id → secret). */
  entraClients?: Record<string, string>;
  /**
   * Seconds each issued token lives (`expires_in`).
   * @default 3599
   */
  tokenLifetimeSeconds?: number;
}

/** A running fake of the Azure OpenAI data plane plus Entra ID's token endpoint, on 127.0.0.1. */
export interface AzureUpstream extends LoopbackServer {
  /** Queue replies for data-plane requests, consumed in order before the documented defaults. */
  enqueue(...replies: AzureReply[]): void;
  /** Requests to the token endpoint, in order (also in `requests`). */
  tokenRequests(): RecordedRequest[];
  /** Requests to the data plane, in order. */
  dataRequests(): RecordedRequest[];
}

const deploymentPath = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|completions|embeddings)$/;
const v1Path = /^\/openai\/v1\/(chat\/completions|completions|embeddings)$/;
const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

/**
 * The deployment and operation of a data-plane request: from the path and its required `api-version`, or on the
 * v1 API (`/openai/v1/…`, no `api-version`) from the body's `model`.
 */
function dataPlaneRoute(request: RecordedRequest): { deployment: string; operation: string } | undefined {
  if (request.method !== 'POST') return undefined;
  const v1 = v1Path.exec(request.path);
  if (v1) {
    const model = (request.body as { model?: unknown } | undefined)?.model;
    return typeof model === 'string' ? { deployment: model, operation: v1[1]! } : undefined;
  }
  const route = deploymentPath.exec(request.path);
  if (!route || !request.query.get('api-version')) return undefined;
  return { deployment: decodeURIComponent(route[1]!), operation: route[2]! };
}

/**
 * Starts a loopback fake that speaks Azure OpenAI as documented: `POST /openai/deployments/{deployment}/{op}
 * ?api-version=…` (or the v1 API's `POST /openai/v1/{op}` with the deployment as `model`), authenticated by
 * `api-key` or by a bearer token it issued itself from `POST /{tenant}/oauth2/v2.0/token` (client-credentials
 * grant). Tokens are `entra-token-1`, `entra-token-2`, …
 */
export async function startAzureUpstream(options: AzureUpstreamOptions = {}): Promise<AzureUpstream> {
  const { apiKeys = [], deployments, entraClients = {}, tokenLifetimeSeconds = 3599 } = options;
  const queue: AzureReply[] = [];
  const issuedTokens = new Set<string>();

  const server = await startLoopbackServer(async (request, response) => {
    const token = tokenPath.exec(request.path);
    if (token && request.method === 'POST') {
      answerTokenRequest(request, response, entraClients, issuedTokens, tokenLifetimeSeconds);
      return;
    }
    const route = dataPlaneRoute(request);
    if (!route) {
      writeJson(response, 404, { error: { code: '404', message: 'Resource not found' } });
      return;
    }
    if (!authenticated(request, apiKeys, issuedTokens)) {
      writeJson(response, 401, readAzureFixture('error-401-invalid-key'));
      return;
    }
    if (deployments && !deployments.includes(route.deployment)) {
      writeJson(response, 404, readAzureFixture('error-404-deployment-not-found'));
      return;
    }
    await writeReply(response, queue.shift() ?? defaultReply(route.operation, request));
  });

  return {
    ...server,
    enqueue: (...replies) => queue.push(...replies),
    tokenRequests: () => server.requests.filter((request) => tokenPath.test(request.path)),
    dataRequests: () => server.requests.filter((request) => !tokenPath.test(request.path)),
    reset: () => {
      server.reset();
      queue.length = 0;
    },
  };
}

function authenticated(request: RecordedRequest, apiKeys: string[], issuedTokens: Set<string>): boolean {
  const apiKey = request.headers['api-key'];
  if (typeof apiKey === 'string') return apiKeys.includes(apiKey);
  const authorization = request.headers.authorization;
  return typeof authorization === 'string' && issuedTokens.has(authorization.replace(/^Bearer /, ''));
}

function answerTokenRequest(
  request: RecordedRequest,
  response: ServerResponse,
  clients: Record<string, string>,
  issuedTokens: Set<string>,
  lifetimeSeconds: number,
): void {
  const form = new URLSearchParams(request.rawBody);
  const clientId = form.get('client_id') ?? '';
  if (form.get('grant_type') !== 'client_credentials' || clients[clientId] !== form.get('client_secret')) {
    writeJson(response, 401, readAzureFixture('entra-token-error'));
    return;
  }
  const token = `entra-token-${issuedTokens.size + 1}`;
  issuedTokens.add(token);
  writeJson(response, 200, {
    ...readAzureFixture<Record<string, unknown>>('entra-token'),
    access_token: token,
    expires_in: lifetimeSeconds,
    ext_expires_in: lifetimeSeconds,
  });
}

function defaultReply(operation: string, request: RecordedRequest): AzureReply {
  if (operation === 'embeddings') return { kind: 'json', body: readAzureFixture('embeddings') };
  if (operation === 'completions') return { kind: 'json', body: readAzureFixture('completion') };
  if ((request.body as { stream?: unknown } | undefined)?.stream === true) {
    return { kind: 'sse', chunks: readAzureFixture<unknown[]>('chat-stream-chunks') };
  }
  return { kind: 'json', body: readAzureFixture('chat-completion') };
}

async function writeReply(response: ServerResponse, reply: AzureReply): Promise<void> {
  if (reply.kind === 'hang') return;
  if (reply.kind === 'json') {
    writeJson(response, reply.status ?? 200, reply.body, {
      'apim-request-id': 'c0ffee00-0000-0000-0000-000000000001',
      ...reply.headers,
    });
    return;
  }
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  response.flushHeaders();
  await writeSseStream(response, reply.chunks, { done: reply.done, dropConnection: reply.dropConnection });
}
