import type { ServerResponse } from 'node:http';
import {
  ollamaNdjsonBody,
  readOllamaFixture,
} from '../../packages/core/src/providers/ollama/__fixtures__/read-ollama-fixture.js';
import { type RecordedRequest, startLoopbackServer, writeJson } from './loopback-server.js';

/** What the fake Ollama does with one request. */
export type OllamaReply =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  /** An `application/x-ndjson` answer, one JSON object per line. */
  | { kind: 'stream'; lines: unknown[]; dropConnection?: boolean }
  /** Ollama's `{"error": message}` body with this status. */
  | { kind: 'error'; status: number; message: string; headers?: Record<string, string> }
  /** Accept the request and never answer, until the client aborts or the server closes. */
  | { kind: 'hang' };

/** A running fake of Ollama's native API on 127.0.0.1. */
export interface OllamaUpstream {
  /** The origin, `http://127.0.0.1:PORT`. */
  url: string;
  requests: RecordedRequest[];
  /** Replies consumed one per request (FIFO) before the default behaviour. */
  enqueue(...replies: OllamaReply[]): void;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a loopback fake of Ollama: `POST /api/chat` (NDJSON unless `stream: false`, as Ollama streams by
 * default), `POST /api/generate`, `POST /api/embed` and `GET /api/tags`, answering with the documented
 * examples unless a reply is queued. Ollama itself takes no key; with `apiKeys` the fake stands for an
 * authenticating proxy in front of it and answers a missing or wrong bearer token with 401.
 */
export async function startOllamaUpstream(options: { apiKeys?: string[] } = {}): Promise<OllamaUpstream> {
  const queue: OllamaReply[] = [];
  const server = await startLoopbackServer(async (request, response) => {
    const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    const rejected =
      options.apiKeys !== undefined && (token === undefined || !options.apiKeys.includes(token));
    const reply: OllamaReply = rejected
      ? { kind: 'error', status: 401, message: 'unauthorized' }
      : (queue.shift() ?? defaultReply(request));
    write(reply, response);
  });
  return {
    url: server.url,
    requests: server.requests,
    enqueue: (...replies) => queue.push(...replies),
    reset: () => {
      queue.length = 0;
      server.reset();
    },
    close: () => server.close(),
  };
}

function defaultReply(request: RecordedRequest): OllamaReply {
  const body = request.body as { stream?: boolean; model?: string } | undefined;
  const streaming = body?.stream !== false;
  if (request.method === 'POST' && request.path === '/api/chat') {
    return streaming
      ? { kind: 'stream', lines: readOllamaFixture('chat-stream-lines') }
      : { kind: 'json', body: readOllamaFixture('chat-response') };
  }
  if (request.method === 'POST' && request.path === '/api/generate' && !streaming) {
    return { kind: 'json', body: readOllamaFixture('generate-response') };
  }
  if (request.method === 'POST' && request.path === '/api/embed') {
    return { kind: 'json', body: readOllamaFixture('embed-response') };
  }
  if (request.method === 'GET' && request.path === '/api/tags')
    return { kind: 'json', body: readOllamaFixture('tags') };
  return { kind: 'error', status: 404, message: '404 page not found' };
}

function write(reply: OllamaReply, response: ServerResponse): void {
  switch (reply.kind) {
    case 'json':
      writeJson(response, reply.status ?? 200, reply.body, reply.headers);
      return;
    case 'error':
      writeJson(response, reply.status, { error: reply.message }, reply.headers);
      return;
    case 'stream':
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.write(ollamaNdjsonBody(reply.lines));
      if (reply.dropConnection) response.destroy();
      else response.end();
      return;
    case 'hang':
      return;
  }
}
