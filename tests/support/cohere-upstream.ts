import type { ServerResponse } from 'node:http';
import {
  cohereSseBody,
  readCohereFixture,
} from '../../packages/core/src/providers/cohere/__fixtures__/read-cohere-fixture.js';
import { type RecordedRequest, startLoopbackServer, writeJson } from './loopback-server.js';

/** What the fake Cohere API does with one request. */
export type CohereReply =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  /** A `text/event-stream` answer: each event framed as `event: <type>` + `data: <json>`. */
  | { kind: 'stream'; events: unknown[]; dropConnection?: boolean }
  /** Cohere's `{id, message}` error body with this status; the message defaults to the documented example. */
  | { kind: 'error'; status: number; message?: string; headers?: Record<string, string> }
  /** Accept the request and never answer, until the client aborts or the server closes. */
  | { kind: 'hang' };

/** A running fake of Cohere's API on 127.0.0.1. */
export interface CohereUpstream {
  /** The origin, `http://127.0.0.1:PORT`. */
  url: string;
  requests: RecordedRequest[];
  /** Replies consumed one per request (FIFO) before the default behaviour. */
  enqueue(...replies: CohereReply[]): void;
  reset(): void;
  close(): Promise<void>;
}

const documentedMessages: Record<number, string> = {
  400: readCohereFixture<{ message: string }>('error-400').message,
  401: readCohereFixture<{ message: string }>('error-401').message,
  429: readCohereFixture<{ message: string }>('error-429').message,
};

/**
 * Starts a loopback fake of Cohere's API: `POST /v2/chat` (JSON, or SSE with `stream: true`), `POST /v2/embed`
 * and `GET /v1/models`, answering with the documented examples unless a reply is queued. Like the real API it
 * checks the bearer token first and answers a missing or wrong one with 401 `{"message": "invalid api token"}`.
 */
export async function startCohereUpstream(options: { apiKeys: string[] }): Promise<CohereUpstream> {
  const queue: CohereReply[] = [];
  const server = await startLoopbackServer(async (request, response) => {
    const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    const reply: CohereReply =
      token === undefined || !options.apiKeys.includes(token)
        ? { kind: 'error', status: 401 }
        : (queue.shift() ?? defaultReply(request));
    await write(reply, response);
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

function defaultReply(request: RecordedRequest): CohereReply {
  const body = request.body as { stream?: boolean } | undefined;
  if (request.method === 'POST' && request.path === '/v2/chat') {
    return body?.stream === true
      ? { kind: 'stream', events: readCohereFixture('chat-stream-events') }
      : { kind: 'json', body: readCohereFixture('chat-response') };
  }
  if (request.method === 'POST' && request.path === '/v2/embed') {
    return { kind: 'json', body: readCohereFixture('embed-response') };
  }
  if (request.method === 'GET' && request.path === '/v1/models')
    return { kind: 'json', body: readCohereFixture('models') };
  return { kind: 'error', status: 404, message: `no route for ${request.method} ${request.path}` };
}

async function write(reply: CohereReply, response: ServerResponse): Promise<void> {
  switch (reply.kind) {
    case 'json':
      writeJson(response, reply.status ?? 200, reply.body, reply.headers);
      return;
    case 'error':
      writeJson(
        response,
        reply.status,
        {
          id: 'c0ffee00-0000-4000-8000-000000000000',
          message: reply.message ?? documentedMessages[reply.status] ?? 'error',
        },
        reply.headers,
      );
      return;
    case 'stream':
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      response.write(cohereSseBody(reply.events));
      if (reply.dropConnection) response.destroy();
      else response.end();
      return;
    case 'hang':
      return;
  }
}
