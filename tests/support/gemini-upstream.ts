import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { readAnthropicFixture, readAnthropicStreamFixture } from './anthropic-upstream.js';
import {
  type LoopbackServer,
  type RecordedRequest,
  startLoopbackServer,
  writeJson,
} from './loopback-server.js';

const fixturesDirectory = new URL('../../packages/core/src/providers/gemini/__fixtures__/', import.meta.url);

/** Reads one of the documented Gemini example bodies kept beside the provider; a fresh copy each call. */
export function readGeminiFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, fixturesDirectory), 'utf8')) as T;
}

/** What the fake does with one request. */
export type GoogleReply =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  /** Each event is written as `data: <json>` (a string goes verbatim); no `[DONE]`, as Google streams end. */
  | { kind: 'sse'; events: unknown[]; headers?: Record<string, string> }
  /** Google's `{error:{code, message, status}}` envelope. */
  | { kind: 'error'; status: number; googleStatus: string; message: string; headers?: Record<string, string> }
  /** A body written verbatim, e.g. an Anthropic event stream from Claude on Vertex. */
  | { kind: 'raw'; status?: number; contentType: string; body: string }
  /** Accept the request and never answer. */
  | { kind: 'hang' };

/** Which API a request was for, read from its path. */
export interface GoogleRoute {
  api: 'gemini' | 'vertex';
  /** `google` or `anthropic` on Vertex; `google` on Gemini. */
  publisher: string;
  model: string;
  /** `generateContent`, `streamGenerateContent`, `embedContent`, `rawPredict`, `predict`, `list`… */
  method: string;
  project?: string;
  location?: string;
}

/** A running fake of Google's Gemini and Vertex AI endpoints on 127.0.0.1. */
export interface GoogleUpstream {
  url: string;
  requests: RecordedRequest[];
  /** Replies used one per request (FIFO) before the default replies. */
  enqueue(...replies: GoogleReply[]): void;
  reset(): void;
  close(): Promise<void>;
}

/** Options for {@link startGeminiUpstream}. */
export interface GoogleUpstreamOptions {
  /** Keys Gemini accepts in `x-goog-api-key`. @default [] (every Gemini request is refused) */
  apiKeys?: string[];
  /** OAuth access tokens Vertex accepts as `Authorization: Bearer`; read on each request, so a token endpoint may add to it. @default [] */
  accessTokens?: string[];
}

const geminiPath = /^\/v1beta\/models\/([^/:]+):([A-Za-z]+)$/;
const vertexPath =
  /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/([^/]+)\/models\/([^/:]+):([A-Za-z]+)$/;

/**
 * Starts a loopback fake of Google's `generateContent` family: Gemini (`/v1beta/models/{model}:{method}`,
 * authenticated by `x-goog-api-key`) and Vertex AI (`/v1/projects/…/publishers/{publisher}/models/{model}:{method}`,
 * authenticated by a bearer token). Authentication fails with Google's documented errors before any queued reply;
 * then the next queued reply answers, else a documented example for the method.
 */
export async function startGeminiUpstream(options: GoogleUpstreamOptions = {}): Promise<GoogleUpstream> {
  const { apiKeys = [], accessTokens = [] } = options;
  const queue: GoogleReply[] = [];
  let server: LoopbackServer | undefined;

  server = await startLoopbackServer((request, response) => {
    const route = routeOf(request);
    if (route === undefined)
      return writeGoogleError(
        response,
        404,
        'NOT_FOUND',
        `The requested URL ${request.path} was not found on this server.`,
      );
    const rejection = authenticate(request, route, apiKeys, accessTokens);
    const reply = rejection ?? queue.shift() ?? defaultReply(request, route);
    return write(response, reply);
  });

  return {
    url: server.url,
    requests: server.requests,
    enqueue: (...replies) => void queue.push(...replies),
    reset: () => {
      queue.length = 0;
      server?.reset();
    },
    close: () => server!.close(),
  };
}

function routeOf(request: RecordedRequest): GoogleRoute | undefined {
  if (request.method === 'GET' && request.path === '/v1beta/models') {
    return { api: 'gemini', publisher: 'google', model: '', method: 'list' };
  }
  const gemini = geminiPath.exec(request.path);
  if (gemini) return { api: 'gemini', publisher: 'google', model: gemini[1]!, method: gemini[2]! };
  const vertex = vertexPath.exec(request.path);
  if (vertex) {
    const [, project, location, publisher, model, method] = vertex;
    return {
      api: 'vertex',
      project: project!,
      location: location!,
      publisher: publisher!,
      model: model!,
      method: method!,
    };
  }
  return undefined;
}

function authenticate(
  request: RecordedRequest,
  route: GoogleRoute,
  apiKeys: readonly string[],
  accessTokens: readonly string[],
): GoogleReply | undefined {
  if (route.api === 'gemini') {
    const key = header(request, 'x-goog-api-key');
    if (key === undefined) {
      return { kind: 'json', status: 403, body: readGeminiFixture('error-403-permission-denied') };
    }
    return apiKeys.includes(key)
      ? undefined
      : { kind: 'json', status: 400, body: readGeminiFixture('error-400-api-key-invalid') };
  }
  const token = /^Bearer (\S+)$/.exec(header(request, 'authorization') ?? '')?.[1];
  if (token !== undefined && accessTokens.includes(token)) return undefined;
  return {
    kind: 'error',
    status: 401,
    googleStatus: 'UNAUTHENTICATED',
    message:
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  };
}

function defaultReply(request: RecordedRequest, route: GoogleRoute): GoogleReply {
  switch (route.method) {
    case 'list':
      return { kind: 'json', body: readGeminiFixture('models') };
    case 'generateContent':
      return { kind: 'json', body: readGeminiFixture('generate-content') };
    case 'streamGenerateContent':
      return { kind: 'sse', events: readGeminiFixture('stream-events') };
    case 'embedContent':
      return { kind: 'json', body: { embedding: { values: vectorFor(0) } } };
    case 'batchEmbedContents': {
      const count = ((request.body as { requests?: unknown[] }).requests ?? []).length;
      return {
        kind: 'json',
        body: { embeddings: Array.from({ length: count }, (_, index) => ({ values: vectorFor(index) })) },
      };
    }
    case 'predict': {
      const instances = (request.body as { instances?: unknown[] }).instances ?? [];
      return {
        kind: 'json',
        body: {
          predictions: instances.map((_, index) => ({
            embeddings: { statistics: { truncated: false, token_count: 4 }, values: vectorFor(index) },
          })),
        },
      };
    }
    case 'rawPredict':
      return { kind: 'json', body: readAnthropicFixture('message') };
    case 'streamRawPredict':
      return {
        kind: 'raw',
        contentType: 'text/event-stream',
        body: readAnthropicStreamFixture('stream-text'),
      };
    default:
      return {
        kind: 'error',
        status: 400,
        googleStatus: 'INVALID_ARGUMENT',
        message: `the fake has no default reply for ${route.method}`,
      };
  }
}

/** A small deterministic vector, different per input. */
export function vectorFor(index: number): number[] {
  return [0.25 + index, -0.5, 0.125, index];
}

function write(response: ServerResponse, reply: GoogleReply): void {
  switch (reply.kind) {
    case 'json':
      writeJson(response, reply.status ?? 200, reply.body, reply.headers);
      return;
    case 'error':
      writeGoogleError(response, reply.status, reply.googleStatus, reply.message, reply.headers);
      return;
    case 'sse': {
      response.writeHead(200, { 'content-type': 'text/event-stream', ...reply.headers });
      for (const event of reply.events) {
        response.write(`data: ${typeof event === 'string' ? event : JSON.stringify(event)}\r\n\r\n`);
      }
      response.end();
      return;
    }
    case 'raw':
      response.writeHead(reply.status ?? 200, { 'content-type': reply.contentType });
      response.end(reply.body);
      return;
    case 'hang':
      return;
  }
}

function writeGoogleError(
  response: ServerResponse,
  status: number,
  googleStatus: string,
  message: string,
  headers?: Record<string, string>,
): void {
  writeJson(response, status, { error: { code: status, message, status: googleStatus } }, headers);
}

function header(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
