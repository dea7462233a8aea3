import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as a loopback fake received it. */
export interface RecordedRequest {
  method: string;
  /** The path without the query string, e.g. `/v1/messages`. */
  path: string;
  query: URLSearchParams;
  /** Node's lower-cased incoming headers. */
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or `undefined` when the body is empty or not JSON. */
  body: unknown;
  rawBody: string;
}

/** Writes the answer to one recorded request; may leave the response open (a hanging upstream). */
export type LoopbackResponder = (
  request: RecordedRequest,
  response: ServerResponse,
  incoming: IncomingMessage,
) => void | Promise<void>;

/** A running server on 127.0.0.1 that records what it received. */
export interface LoopbackServer {
  /** The origin, `http://127.0.0.1:PORT`, without a path. */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Number of requests whose client went away before the answer was finished. */
  abortedCount(): number;
  /** Clears the recorded requests and the aborted count. */
  reset(): void;
  /** Stops listening and destroys every open socket, hanging answers included. */
  close(): Promise<void>;
}

/**
 * Starts a loopback HTTP server that records each request (body read and parsed first) and hands it to
 * `respond`. The base of every fake provider upstream: each fake adds only its provider's wire format.
 */
export async function startLoopbackServer(respond: LoopbackResponder): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let aborted = 0;
  let closing = false;

  const serve = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    response.on('close', () => {
      if (!response.writableFinished && !closing && !resetOnPurpose.has(response)) aborted += 1;
    });
    const rawBody = await readBody(incoming);
    if (rawBody === undefined) return;
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const request: RecordedRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: { ...incoming.headers },
      body: parseJson(rawBody),
      rawBody,
    };
    requests.push(request);
    await respond(request, response, incoming);
  };

  // An answer the fake cannot write drops the connection rather than leaving an unhandled rejection behind.
  const server = createServer((incoming, response) => {
    serve(incoming, response).catch(() => response.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    abortedCount: () => aborted,
    reset: () => {
      requests.length = 0;
      aborted = 0;
    },
    close: async () => {
      closing = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const resetOnPurpose = new WeakSet<ServerResponse>();

/** Marks a response the fake itself will cut short, so that its closing is not counted as a client abort. */
export function closingOnPurpose(response: ServerResponse): void {
  resetOnPurpose.add(response);
}

/** Resets the connection as a failing upstream does; not counted as a client abort. */
export function resetConnection(response: ServerResponse): void {
  closingOnPurpose(response);
  response.socket?.resetAndDestroy();
}

/** Writes a JSON answer with the given status and headers. */
export function writeJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

async function readBody(incoming: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
  } catch {
    return undefined; // the client went away mid-upload
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
