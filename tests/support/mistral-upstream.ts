import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import {
  type LoopbackServer,
  type RecordedRequest,
  startLoopbackServer,
  writeJson,
} from './loopback-server.js';
import { writeSseStream } from './sse.js';

const fixturesDirectory = new URL('../../packages/core/src/providers/mistral/__fixtures__/', import.meta.url);

/** Reads one of Mistral's documented example bodies from the provider's `__fixtures__`; a fresh copy each call. */
export function readMistralFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, fixturesDirectory), 'utf8')) as T;
}

/** What the fake does with one request. */
export type MistralReply =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'sse'; chunks: unknown[]; done?: boolean; dropConnection?: boolean }
  /** Accept the request and never answer. */
  | { kind: 'hang' };

/** A running fake of Mistral's API on 127.0.0.1. */
export interface MistralUpstream extends LoopbackServer {
  /** Queue replies, consumed in order once a request has passed authentication and validation. */
  enqueue(...replies: MistralReply[]): void;
}

// The fields of Mistral's chat request schema; the real API refuses any other with a 422.
const chatFields = new Set([
  'model',
  'messages',
  'temperature',
  'top_p',
  'max_tokens',
  'stream',
  'stop',
  'random_seed',
  'metadata',
  'response_format',
  'tools',
  'tool_choice',
  'presence_penalty',
  'frequency_penalty',
  'n',
  'prediction',
  'parallel_tool_calls',
  'reasoning_effort',
  'prompt_mode',
  'guardrails',
  'prompt_cache_key',
  'service_tier',
  'safe_prompt',
]);
const embeddingFields = new Set([
  'model',
  'input',
  'metadata',
  'output_dimension',
  'output_dtype',
  'encoding_format',
]);
const toolCallId = /^[a-zA-Z0-9]{9}$/;

/**
 * Starts a loopback fake of Mistral's API as its reference documents it: `POST /v1/chat/completions` (JSON, or
 * SSE ending in `data: [DONE]` when `stream` is true), `POST /v1/embeddings`, `GET /v1/models`, bearer keys,
 * and the request checks a translation must pass: unknown fields are a 422, and tool call ids that are not nine
 * alphanumeric characters a 400, each with Mistral's error body.
 */
export async function startMistralUpstream(options: { apiKeys?: string[] } = {}): Promise<MistralUpstream> {
  const { apiKeys = [] } = options;
  const queue: MistralReply[] = [];
  const server = await startLoopbackServer(async (request, response) => {
    const authorization = request.headers.authorization;
    if (typeof authorization !== 'string' || !apiKeys.includes(authorization.replace(/^Bearer /, ''))) {
      writeJson(response, 401, readMistralFixture('error-401-unauthorized'));
      return;
    }
    const route = `${request.method} ${request.path}`;
    if (route === 'GET /v1/models') {
      await writeReply(response, queue.shift() ?? { kind: 'json', body: readMistralFixture('models') });
      return;
    }
    const fields =
      route === 'POST /v1/chat/completions'
        ? chatFields
        : route === 'POST /v1/embeddings'
          ? embeddingFields
          : undefined;
    if (!fields) {
      writeJson(response, 404, { detail: 'Not Found' });
      return;
    }
    const refusal = validate(request, fields);
    if (refusal) {
      writeJson(response, refusal.status, refusal.body);
      return;
    }
    await writeReply(response, queue.shift() ?? defaultReply(request, fields === embeddingFields));
  });
  return {
    ...server,
    enqueue: (...replies) => queue.push(...replies),
    reset: () => {
      server.reset();
      queue.length = 0;
    },
  };
}

function validate(
  request: RecordedRequest,
  fields: Set<string>,
): { status: number; body: unknown } | undefined {
  const body = request.body as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null)
    return { status: 422, body: readMistralFixture('error-422-validation') };
  for (const [name, value] of Object.entries(body)) {
    if (!fields.has(name)) {
      const detail = [
        { type: 'extra_forbidden', loc: ['body', name], msg: 'Extra inputs are not permitted', input: value },
      ];
      return { status: 422, body: { detail } };
    }
  }
  if (fields === chatFields && !Array.isArray(body.messages)) {
    return { status: 422, body: readMistralFixture('error-422-validation') };
  }
  for (const id of toolCallIds(body.messages)) {
    if (!toolCallId.test(id)) {
      const error = readMistralFixture<Record<string, unknown>>('error-400-tool-call-id');
      return {
        status: 400,
        body: { ...error, message: `Tool call id was ${id} but must be a-z, A-Z, 0-9, with a length of 9.` },
      };
    }
  }
  return undefined;
}

function toolCallIds(messages: unknown): string[] {
  if (!Array.isArray(messages)) return [];
  const ids: string[] = [];
  for (const message of messages as Array<{ tool_calls?: Array<{ id?: unknown }>; tool_call_id?: unknown }>) {
    for (const call of message.tool_calls ?? []) if (typeof call.id === 'string') ids.push(call.id);
    if (typeof message.tool_call_id === 'string') ids.push(message.tool_call_id);
  }
  return ids;
}

function defaultReply(request: RecordedRequest, embeddings: boolean): MistralReply {
  if (embeddings) return { kind: 'json', body: readMistralFixture('embeddings') };
  if ((request.body as { stream?: unknown }).stream === true) {
    return { kind: 'sse', chunks: readMistralFixture<unknown[]>('chat-stream-chunks') };
  }
  return { kind: 'json', body: readMistralFixture('chat-completion') };
}

async function writeReply(response: ServerResponse, reply: MistralReply): Promise<void> {
  if (reply.kind === 'hang') return;
  if (reply.kind === 'json') {
    writeJson(response, reply.status ?? 200, reply.body, reply.headers);
    return;
  }
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  response.flushHeaders();
  await writeSseStream(response, reply.chunks, { done: reply.done, dropConnection: reply.dropConnection });
}
