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
 */
export async function writeSseToNode(stream: ChatCompletionStream, outgoing: ServerResponse): Promise<void> {
  outgoing.writeHead(200, sseHeaders(stream.retries));
  // Headers go out now: a client waiting for the first token knows the stream is accepted.
  outgoing.flushHeaders();
  try {
    for await (const chunk of stream) {
      if (outgoing.destroyed) return;
      if (!outgoing.write(`data: ${JSON.stringify(chunk)}\n\n`)) await drained(outgoing);
    }
    if (!outgoing.destroyed) outgoing.end('data: [DONE]\n\n');
  } catch (error) {
    if (outgoing.destroyed) return;
    outgoing.end(`data: ${JSON.stringify(GatewayError.from(error).toBifrostError())}\n\n`);
  }
}

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
