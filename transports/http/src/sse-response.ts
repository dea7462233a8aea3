import { type ChatCompletionStream, GatewayError } from '@bifrost/core';
import { openAISseEncoder, type SseEncoder, sseHeaders } from './write-sse-to-node.js';

const utf8 = new TextEncoder();

/**
 * Streams chat chunks as server-sent events through a web `Response`, for runtimes other than Node's adapter
 * (and `app.request()` in tests); on Node, {@link writeSseToNode} writes them directly, `data: {chunk}` lines ending `data: [DONE]`, as OpenAI does. A
 * failure after the first byte cannot change the status any more, so it goes out as a final `data: {"error":…}`
 * event, which the OpenAI SDKs raise as an error. The stream is pulled, so a slow client slows the upstream read
 * instead of filling memory; a client that goes away cancels the upstream request.
 */
export function sseResponse(stream: ChatCompletionStream, encoder: SseEncoder = openAISseEncoder): Response {
  const iterator = stream[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          // A chunk the encoder turns into nothing must not end the pull empty-handed: the stream would stall.
          for (;;) {
            const { value, done } = await iterator.next();
            if (done) {
              const last = encoder.end();
              if (last !== '') controller.enqueue(utf8.encode(last));
              controller.close();
              return;
            }
            const event = encoder.chunk(value);
            if (event === '') continue;
            controller.enqueue(utf8.encode(event));
            return;
          }
        } catch (error) {
          controller.enqueue(utf8.encode(encoder.error(GatewayError.from(error))));
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
