import type { ChatStreamChunk, ProviderName } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { abortedError } from '../../errors/abort-reason.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { toUpstreamError } from '../../http/send-upstream-request.js';
import { parseServerSentEvents } from '../../streaming/sse-parser.js';
import type { ProviderStream } from '../provider.js';
import { readChatChunk } from './openai-api.js';

/** Wraps an OpenAI-style SSE body (`data: {chunk}` … `data: [DONE]`) as a stream of validated chunks. */
export function openAIChatStream(
  body: Dispatcher.ResponseData['body'],
  context: { provider: ProviderName; model: string; signal?: AbortSignal },
): ProviderStream {
  const { provider, model } = context;
  async function* chunks() {
    let done = false;
    let finished = false;
    try {
      for await (const event of parseServerSentEvents(body)) {
        // Events already buffered would outlive the abort: undici stops watching the signal once the body is in.
        if (context.signal?.aborted) {
          throw abortedError(context.signal, 'the request was cancelled by the caller', { provider, model });
        }
        // Read on to the end of the body rather than breaking out: leaving a Node stream's iterator early
        // destroys the stream with an AbortError, whose stack trace costs more than the rest of the chunk.
        if (done) continue;
        if (event.data === '[DONE]') {
          done = true;
          continue;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(event.data);
        } catch {
          throw new GatewayError('provider_error', `${provider} sent a stream event that is not JSON`, {
            provider,
            model,
            statusCode: 502,
          });
        }
        const chunk = readChatChunk(parsed, provider, model);
        if (!finished) finished = hasFinishReason(chunk);
        yield chunk;
      }
    } catch (error) {
      throw toUpstreamError(error, context, true);
    } finally {
      if (!body.destroyed) body.destroy();
    }
    // Some compatible servers end without [DONE]; a stream that never finished a choice was cut short.
    if (!done && !finished) {
      throw new GatewayError('provider_error', `${provider} closed the stream before it finished`, {
        provider,
        model,
        statusCode: 502,
      });
    }
  }
  const iterator = chunks();
  return {
    [Symbol.asyncIterator]: () => iterator,
    cancel: () => {
      if (!body.destroyed) body.destroy();
    },
  };
}

function hasFinishReason(chunk: ChatStreamChunk): boolean {
  for (const choice of chunk.choices) if (choice.finish_reason != null) return true;
  return false;
}
