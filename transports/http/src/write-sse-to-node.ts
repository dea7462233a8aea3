import type { ServerResponse } from 'node:http';
import { type ChatCompletionStream, GatewayError } from '@bifrost/core';

/** The headers of every SSE answer, as OpenAI sends them. */
export function sseHeaders(retries: number): Record<string, string> {
  return {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-bf-retries': String(retries),
  };
}

/**
 * Writes chat chunks straight to Node's response as server-sent events: `data: {chunk}` lines ending
 * `data: [DONE]`. Going around web streams saves their per-chunk promises, which cost more than the chunk.
 * Backpressure is kept: when the socket buffer is full, reading from the provider waits for `drain`. A client
 * that goes away stops the loop, which cancels the upstream request. A failure after the first byte goes out as
 * a final `data: {"error":…}` event, which the OpenAI SDKs raise as an error.
 *
 * With `countBytes` it resolves to the body bytes written, for `onHttpRequest` plugins; otherwise to 0, so
 * that the count costs nothing when nobody reads it.
 */
export async function writeSseToNode(
  stream: ChatCompletionStream,
  outgoing: ServerResponse,
  countBytes = false,
): Promise<number> {
  outgoing.writeHead(200, sseHeaders(stream.retries));
  // Headers go out now: a client waiting for the first token knows the stream is accepted.
  outgoing.flushHeaders();
  let bytes = 0;
  try {
    for await (const chunk of stream) {
      if (outgoing.destroyed) return bytes;
      const event = `data: ${JSON.stringify(chunk)}\n\n`;
      if (countBytes) bytes += Buffer.byteLength(event);
      if (!outgoing.write(event)) await drained(outgoing);
    }
    if (!outgoing.destroyed) {
      outgoing.end(doneEvent);
      if (countBytes) bytes += doneEvent.length;
    }
  } catch (error) {
    if (outgoing.destroyed) return bytes;
    const event = `data: ${JSON.stringify(GatewayError.from(error).toBifrostError())}\n\n`;
    if (countBytes) bytes += Buffer.byteLength(event);
    outgoing.end(event);
  }
  return bytes;
}

const doneEvent = 'data: [DONE]\n\n';

function drained(outgoing: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      outgoing.off('drain', done);
      outgoing.off('close', done);
      resolve();
    };
    outgoing.on('drain', done);
    outgoing.on('close', done);
  });
}
