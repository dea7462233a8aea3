import { type ClientRequest, type IncomingMessage, request } from 'node:http';
import { connect, type Socket } from 'node:net';

/** What a client that has not finished sending its body got back, if anything. */
export interface EarlyAnswer {
  /** The status, or `undefined` when the gateway closed the connection without answering. */
  status: number | undefined;
  /** The answer's body text ('' when there was none). */
  body: string;
  /** Request body bytes the client had written when the answer (or the close) arrived. */
  bytesSent: number;
  /** True when the gateway closed the connection without answering, false when the wait ran out. */
  closed: boolean;
}

/** Options of {@link sendBodyWithoutFinishing}. */
export interface UnfinishedBodyOptions {
  /** Request headers; without `content-length` the body goes out chunked. */
  headers: Record<string, string>;
  /** Body bytes to write, in `chunkBytes` pieces, unless an answer comes first. */
  bytes: number;
  /** @default 64 KiB */
  chunkBytes?: number;
  /** Give up waiting for an answer after the body is written. @default 5_000 */
  waitMs?: number;
}

/**
 * POSTs a body of `bytes` bytes (`{"model":…` followed by spaces) without ever ending the request: resolves with
 * the answer as soon as its headers and body arrive, or the connection closes, or after `waitMs` with
 * `status: undefined`. Shows whether the gateway refuses a body before it has been sent whole.
 */
export function sendBodyWithoutFinishing(url: string, options: UnfinishedBodyOptions): Promise<EarlyAnswer> {
  const { headers, bytes, chunkBytes = 64 * 1024, waitMs = 5_000 } = options;
  return new Promise((resolve) => {
    let bytesSent = 0;
    let settled = false;
    let outgoing: ClientRequest;
    const settle = (status: number | undefined, body: string, closed = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing.destroy();
      resolve({ status, body, bytesSent, closed });
    };
    const timer = setTimeout(() => settle(undefined, ''), waitMs);
    outgoing = request(url, { method: 'POST', headers }, (incoming: IncomingMessage) => {
      let body = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (text: string) => {
        body += text;
      });
      incoming.on('end', () => settle(incoming.statusCode, body));
      incoming.on('error', () => settle(incoming.statusCode, body));
    });
    // A close may come just before the answer's 'end' is processed; give the answer that turn to settle first.
    outgoing.on('error', () => setImmediate(() => settle(undefined, '', true)));
    outgoing.on('close', () => setImmediate(() => settle(undefined, '', true)));
    const piece = Buffer.alloc(chunkBytes, 0x20);
    const writeMore = () => {
      while (!settled && bytesSent < bytes) {
        const size = Math.min(chunkBytes, bytes - bytesSent);
        bytesSent += size;
        if (!outgoing.write(size === chunkBytes ? piece : piece.subarray(0, size))) {
          outgoing.once('drain', writeMore);
          return;
        }
      }
    };
    outgoing.write('{"model":"openai/gpt-4o-mini",');
    writeMore();
  });
}

/** A raw connection that sent one request and reads nothing back, however much the gateway sends. */
export interface NonReadingClient {
  socket: Socket;
  /** Resets the connection, as a client that gives up does. */
  destroy(): void;
}

/**
 * Opens a TCP connection, sends one POST with a JSON body and never reads the answer: the kernel buffers fill,
 * and the gateway must stop writing (backpressure) rather than queue the rest in memory.
 */
export async function openNonReadingClient(
  url: string,
  path: string,
  body: unknown,
): Promise<NonReadingClient> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.pause();
  socket.on('error', () => {
    // The gateway may reset the connection while the test holds it; the test checks the gateway, not this.
  });
  const payload = JSON.stringify(body);
  socket.write(
    `POST ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
  );
  return { socket, destroy: () => socket.resetAndDestroy() };
}
