import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  closingOnPurpose,
  type RecordedRequest,
  resetConnection,
  startLoopbackServer,
} from './loopback-server.js';
import { defaultOpenAIReply } from './openai-default-replies.js';
import { openAIErrorBody } from './openai-error-body.js';
import { readOpenAIFixture } from './openai-fixtures.js';
import { writeSseStream } from './sse.js';

export type { RecordedRequest } from './loopback-server.js';

/** What the fake upstream does with one request. */
export type UpstreamReply =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string>; delayMs?: number }
  | {
      kind: 'sse';
      chunks: unknown[];
      intervalMs?: number;
      headers?: Record<string, string>;
      /** Whether to end with `data: [DONE]`; defaults to true. Strings in `chunks` are sent verbatim. */
      done?: boolean;
      /** Close the connection after the chunks, without ending the stream; not counted as a client abort. */
      dropConnection?: boolean;
      status?: number;
    }
  | {
      /** OpenAI's error envelope; fields left out take the documented example's values for `status`. */
      kind: 'error';
      status: number;
      type?: string;
      code?: string | null;
      message?: string;
      param?: string | null;
      headers?: Record<string, string>;
    }
  /** Accept the request and never answer, until the client aborts or the upstream closes. */
  | { kind: 'hang' }
  /** Reset the socket without answering. */
  | { kind: 'destroy' }
  | { kind: 'raw'; status: number; headers?: Record<string, string>; body: string };

/** A handler that replaces the default behaviour; it may delegate to `defaultOpenAIReply`. */
export type UpstreamHandler = (request: RecordedRequest) => UpstreamReply | Promise<UpstreamReply>;

/** A running fake of the OpenAI API on 127.0.0.1. */
export interface OpenAIUpstream {
  /** The origin, `http://127.0.0.1:PORT`, without a path. */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Queue replies consumed one per request (FIFO) before falling back to the default behaviour. */
  enqueue(...replies: UpstreamReply[]): void;
  /** Replace the default behaviour (a function of the request). */
  setHandler(handler: UpstreamHandler | undefined): void;
  /** Number of requests whose client aborted before the reply finished. */
  abortedCount(): number;
  /** Clears the recorded requests, the queue, the handler and the aborted count. */
  reset(): void;
  /** Stops listening and destroys every open socket, hanging requests included. */
  close(): Promise<void>;
}

/** Options for {@link startOpenAIUpstream}. */
export interface OpenAIUpstreamOptions {
  /**
   * Accepted Bearer tokens. When set, a missing or different token gets OpenAI's documented 401 before any
   * queued reply or handler runs, as the real API authenticates first.
   * @default undefined (any token, or none, is accepted)
   */
  apiKeys?: string[];
}

// Headers OpenAI sends on every answer; the values are the generous limits of a high usage tier.
const rateLimitHeaders = {
  'openai-version': '2020-10-01',
  'openai-processing-ms': '1',
  'x-ratelimit-limit-requests': '10000',
  'x-ratelimit-limit-tokens': '30000000',
  'x-ratelimit-remaining-requests': '9999',
  'x-ratelimit-remaining-tokens': '29999000',
  'x-ratelimit-reset-requests': '6ms',
  'x-ratelimit-reset-tokens': '2ms',
};

/**
 * Starts a loopback fake of the OpenAI API that records every request and answers in OpenAI's wire format.
 *
 * Each request is answered by, in order: the 401 check when `apiKeys` is set, the next queued reply, the
 * handler, or `defaultOpenAIReply`.
 * @example
 * const upstream = await startOpenAIUpstream();
 * upstream.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '1' } });
 * const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${upstream.url}/v1`, maxRetries: 0 });
 */
export async function startOpenAIUpstream(options: OpenAIUpstreamOptions = {}): Promise<OpenAIUpstream> {
  const { apiKeys } = options;
  const queue: UpstreamReply[] = [];
  let handler: UpstreamHandler | undefined;
  let requestCount = 0;

  const chooseReply = async (request: RecordedRequest): Promise<UpstreamReply> => {
    const rejection = apiKeys && authorizationFailure(request, apiKeys);
    if (rejection) return rejection;
    const queued = queue.shift();
    if (queued) return queued;
    if (!handler) return defaultOpenAIReply(request);
    try {
      return await handler(request);
    } catch (error) {
      return { kind: 'error', status: 500, message: `The fake upstream's handler threw: ${String(error)}` };
    }
  };

  const respond = async (request: RecordedRequest, response: ServerResponse): Promise<void> => {
    requestCount += 1;
    const baseHeaders = {
      ...rateLimitHeaders,
      'x-request-id': `req_${requestCount.toString(16).padStart(32, '0')}`,
    };

    const reply = await chooseReply(request);
    if (reply.kind === 'destroy') {
      resetConnection(response);
    } else if (reply.kind === 'sse') {
      const headers = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
      response.writeHead(reply.status ?? 200, mergeHeaders(baseHeaders, headers, reply.headers));
      response.flushHeaders();
      if (reply.dropConnection) closingOnPurpose(response);
      await writeSseStream(response, reply.chunks, {
        intervalMs: reply.intervalMs,
        done: reply.done,
        dropConnection: reply.dropConnection,
      });
    } else if (reply.kind === 'raw') {
      response.writeHead(reply.status, mergeHeaders(baseHeaders, reply.headers));
      response.end(reply.body);
    } else if (reply.kind === 'json' || reply.kind === 'error') {
      if (reply.kind === 'json' && reply.delayMs) await sleep(reply.delayMs);
      if (response.destroyed) return;
      const status = reply.status ?? 200;
      const body = reply.kind === 'json' ? reply.body : openAIErrorBody(reply.status, reply);
      const exhausted = status === 429 ? { 'x-ratelimit-remaining-requests': '0' } : undefined;
      response.writeHead(
        status,
        mergeHeaders(baseHeaders, exhausted, { 'content-type': 'application/json' }, reply.headers),
      );
      response.end(JSON.stringify(body));
    }
    // A 'hang' reply leaves the response open until the client aborts or close() destroys the socket.
  };

  const server = await startLoopbackServer(respond);
  return {
    url: server.url,
    requests: server.requests,
    enqueue: (...replies) => void queue.push(...replies),
    setHandler: (next) => {
      handler = next;
    },
    abortedCount: server.abortedCount,
    reset: () => {
      server.reset();
      queue.length = 0;
      handler = undefined;
    },
    close: server.close,
  };
}

function authorizationFailure(
  request: RecordedRequest,
  apiKeys: readonly string[],
): UpstreamReply | undefined {
  const header = request.headers.authorization;
  const token = /^Bearer\s+(\S+)\s*$/i.exec(Array.isArray(header) ? (header[0] ?? '') : (header ?? ''))?.[1];
  if (!token) return { kind: 'json', status: 401, body: readOpenAIFixture('error-401-missing-api-key') };
  if (apiKeys.includes(token)) return undefined;
  // OpenAI echoes the rejected key with all but its ends starred out.
  const masked =
    token.length > 8 ? `${token.slice(0, 3)}${'*'.repeat(token.length - 7)}${token.slice(-4)}` : token;
  return {
    kind: 'error',
    status: 401,
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
    message: `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
  };
}

// Lower-cases names so a test's `Retry-After` replaces rather than duplicates a default header.
function mergeHeaders(...records: (Record<string, string> | undefined)[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const record of records) {
    for (const [name, value] of Object.entries(record ?? {})) merged[name.toLowerCase()] = value;
  }
  return merged;
}
