import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openAIEventStream, openAIFixture } from './openai-fixture.js';

/** A request the loopback upstream received. */
export interface LoopbackRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/**
 * A node:http server on 127.0.0.1 that answers chat completions with OpenAI's documented examples: the
 * completion, or with `stream: true` the documented chunks.
 */
export interface LoopbackOpenAI {
  baseUrl: string;
  requests: LoopbackRequest[];
  /**
   * Holds the answer to every chat request whose first message says "slow" until {@link releaseSlow} (a stream
   * sends its first chunk at once and holds the rest); `slowArrived` resolves when such a request has come in.
   */
  slowArrived: Promise<void>;
  releaseSlow(): void;
  close(): Promise<void>;
}

/** Starts the loopback upstream on a free port. */
export async function startLoopbackOpenAI(): Promise<LoopbackOpenAI> {
  const requests: LoopbackRequest[] = [];
  const held: Array<() => void> = [];
  let arrived!: () => void;
  const slowArrived = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const answer = (response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(openAIFixture('chat-completion')));
  };
  const chunks = openAIFixture<unknown[]>('chat-stream-chunks');
  const stream = (response: ServerResponse, slow: boolean) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(openAIEventStream(chunks.slice(0, 1), { done: false }));
    const rest = () => response.end(openAIEventStream(chunks.slice(1)));
    if (slow) held.push(rest);
    else rest();
  };
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body =
      text === ''
        ? undefined
        : (JSON.parse(text) as { stream?: boolean; messages?: Array<{ content?: unknown }> });
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
    if (request.url !== '/v1/chat/completions') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":{"message":"not found"}}');
      return;
    }
    const slow = body?.messages?.[0]?.content === 'slow';
    if (body?.stream === true) stream(response, slow);
    else if (slow) held.push(() => answer(response));
    else answer(response);
    if (slow) arrived();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    slowArrived,
    releaseSlow: () => {
      for (const finish of held.splice(0)) finish();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
