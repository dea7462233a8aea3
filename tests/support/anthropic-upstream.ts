import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import {
  type LoopbackServer,
  type RecordedRequest,
  startLoopbackServer,
  writeJson,
} from './loopback-server.js';

const fixturesDirectory = new URL(
  '../../packages/core/src/providers/anthropic/__fixtures__/',
  import.meta.url,
);

/** Reads one of Anthropic's documented example bodies kept beside the provider (`<name>.json`), fresh each call. */
export function readAnthropicFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, fixturesDirectory), 'utf8')) as T;
}

/** Reads one of Anthropic's documented event streams (`<name>.sse`) as the bytes the API sends. */
export function readAnthropicStreamFixture(name: string): string {
  return readFileSync(new URL(`${name}.sse`, fixturesDirectory), 'utf8');
}

/** One streamed event; its `type` names the SSE `event:` line, as Anthropic frames them. */
export type AnthropicStreamEvent = { type: string } & Record<string, unknown>;

/** What the fake does with one request. */
export type AnthropicReply =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  /** An SSE answer: raw text sent verbatim (a fixture), or events framed as `event: <type>` + `data: <json>`. */
  | { kind: 'stream'; events: string | AnthropicStreamEvent[]; dropConnection?: boolean }
  /** Anthropic's error envelope; `type` and `message` default to the documented ones for the status. */
  | { kind: 'error'; status: number; type?: string; message?: string; headers?: Record<string, string> }
  /** Accept the request and never answer. */
  | { kind: 'hang' };

/** A running fake of the Anthropic API on 127.0.0.1. */
export interface AnthropicUpstream
  extends Pick<LoopbackServer, 'url' | 'requests' | 'abortedCount' | 'close'> {
  /** Replies consumed one per request (FIFO) before the default behaviour. */
  enqueue(...replies: AnthropicReply[]): void;
  /** Clears the recorded requests and the queue. */
  reset(): void;
}

/** Options for {@link startAnthropicUpstream}. */
export interface AnthropicUpstreamOptions {
  /**
   * Accepted API keys; any other key, or none, gets Anthropic's 401 before any queued reply.
   * @default ['sk-ant-test']
   */
  apiKeys?: string[];
}

/** The error type and message Anthropic's errors page documents for each status. */
const documentedErrors: Readonly<Record<number, { type: string; message: string }>> = {
  400: {
    type: 'invalid_request_error',
    message: 'There was an issue with the format or content of your request.',
  },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  403: {
    type: 'permission_error',
    message: 'Your API key does not have permission to use the specified resource.',
  },
  404: { type: 'not_found_error', message: 'The requested resource was not found.' },
  413: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
  429: { type: 'rate_limit_error', message: 'Your account has hit a rate limit.' },
  500: { type: 'api_error', message: 'An unexpected error has occurred internal to our systems.' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

/**
 * Starts a loopback fake of Anthropic's Messages and Models APIs. It authenticates with `x-api-key` and
 * requires `anthropic-version` and `max_tokens` as the real API does; then answers with the next queued reply,
 * or by default echoes the last user text (`echo: <text>`) as a message or, with `stream: true`, as events.
 * @example
 * const anthropic = await startAnthropicUpstream();
 * anthropic.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '3' } });
 */
export async function startAnthropicUpstream(
  options: AnthropicUpstreamOptions = {},
): Promise<AnthropicUpstream> {
  const { apiKeys = ['sk-ant-test'] } = options;
  const queue: AnthropicReply[] = [];
  let requestCount = 0;
  const server = await startLoopbackServer(async (request, response) => {
    requestCount += 1;
    const requestId = `req_${requestCount.toString().padStart(24, '0')}`;
    const reply = rejection(request, apiKeys) ?? queue.shift() ?? defaultReply(request);
    await writeReply(response, reply, requestId);
  });
  return {
    url: server.url,
    requests: server.requests,
    abortedCount: server.abortedCount,
    close: server.close,
    enqueue: (...replies) => void queue.push(...replies),
    reset: () => {
      server.reset();
      queue.length = 0;
    },
  };
}

/**
 * Authenticates as the API does: the key in `x-api-key` (what the gateway sends) or as a bearer token (what
 * Anthropic's own SDK sends since 1.x); then `anthropic-version` must be present, whatever its date.
 */
function rejection(request: RecordedRequest, apiKeys: readonly string[]): AnthropicReply | undefined {
  const header = request.headers['x-api-key'];
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(String(request.headers.authorization ?? ''))?.[1];
  const key = typeof header === 'string' ? header : bearer;
  if (key === undefined) return { kind: 'error', status: 401, message: 'x-api-key header is required' };
  if (!apiKeys.includes(key)) return { kind: 'error', status: 401 };
  if (request.headers['anthropic-version'] === undefined) {
    return { kind: 'error', status: 400, message: 'anthropic-version: header is required' };
  }
  return undefined;
}

function defaultReply(request: RecordedRequest): AnthropicReply {
  if (request.method === 'GET' && request.path === '/v1/models') {
    return { kind: 'json', body: readAnthropicFixture('models') };
  }
  if (request.method !== 'POST' || request.path !== '/v1/messages') {
    return { kind: 'error', status: 404, message: `Not found: ${request.method} ${request.path}` };
  }
  const body = request.body as {
    model?: string;
    max_tokens?: unknown;
    stream?: boolean;
    messages?: unknown[];
  };
  if (typeof body?.max_tokens !== 'number')
    return { kind: 'error', status: 400, message: 'max_tokens: Field required' };
  const model = body.model ?? 'claude-sonnet-4-5';
  const text = `echo: ${lastUserText(body.messages)}`;
  return body.stream === true
    ? { kind: 'stream', events: echoEvents(model, text) }
    : { kind: 'json', body: echoMessage(model, text) };
}

function lastUserText(messages: unknown[] | undefined): string {
  const last = [...(messages ?? [])]
    .reverse()
    .find((message) => (message as { role?: string }).role === 'user') as
    | { content: string | { type: string; text?: string }[] }
    | undefined;
  if (last === undefined) return '';
  if (typeof last.content === 'string') return last.content;
  return last.content
    .filter((block) => block.type === 'text')
    .map((block) => block.text)
    .join('');
}

function echoMessage(model: string, text: string): unknown {
  return {
    id: 'msg_echo',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5 },
  };
}

/** The documented event order for one text block. */
function echoEvents(model: string, text: string): AnthropicStreamEvent[] {
  return [
    {
      type: 'message_start',
      message: {
        id: 'msg_echo',
        type: 'message',
        role: 'assistant',
        content: [],
        model,
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 1 },
      },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'ping' },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
    { type: 'content_block_stop', index: 0 },
    {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 5 },
    },
    { type: 'message_stop' },
  ];
}

async function writeReply(response: ServerResponse, reply: AnthropicReply, requestId: string): Promise<void> {
  switch (reply.kind) {
    case 'json':
      writeJson(response, reply.status ?? 200, reply.body, { 'request-id': requestId, ...reply.headers });
      return;
    case 'error': {
      const documented = documentedErrors[reply.status] ?? documentedErrors[500]!;
      const body = {
        type: 'error',
        error: { type: reply.type ?? documented.type, message: reply.message ?? documented.message },
        request_id: requestId,
      };
      writeJson(response, reply.status, body, { 'request-id': requestId, ...reply.headers });
      return;
    }
    case 'stream': {
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        'request-id': requestId,
      });
      const text =
        typeof reply.events === 'string'
          ? reply.events
          : reply.events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('');
      if (reply.dropConnection) {
        response.write(text);
        // Ending the socket flushes the events, then closes with the stream unfinished.
        response.socket?.end();
        return;
      }
      response.end(text);
      return;
    }
    case 'hang':
      return;
  }
}
