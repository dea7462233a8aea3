import { type ChatCompletionStream, GatewayError } from '@bifrost/core';
import { sseHeaders } from './write-sse-to-node.js';

const encoder = new TextEncoder();
const doneEvent = encoder.encode('data: [DONE]\n\n');

/**
 * Streams chat chunks as server-sent events through a web `Response`, for runtimes other than Node's adapter
 * (and `app.request()` in tests); on Node, {@link writeSseToNode} writes them directly, `data: {chunk}` lines ending `data: [DONE]`, as OpenAI does. A
 * failure after the first byte cannot change the status any more, so it goes out as a final `data: {"error":…}`
 * event, which the OpenAI SDKs raise as an error. The stream is pulled, so a slow client slows the upstream read
 * instead of filling memory; a client that goes away cancels the upstream request.
 */
export function sseResponse(stream: ChatCompletionStream): Response {
  const iterator = stream[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await iterator.next();
          if (done) {
            controller.enqueue(doneEvent);
            controller.close();
            return;
          }
          controller.enqueue(encoder.encode(`data: ${JSON.stringify(value)}\n\n`));
        } catch (error) {
          const wire = GatewayError.from(error).toBifrostError();
          controller.enqueue(encoder.encode(`data: ${JSON.stringify(wire)}\n\n`));
          controller.close();
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 1 },
  );
  return new Response(body, { status: 200, headers: sseHeaders(stream.retries) });
}
