import type { ChatStreamChunk, ProviderName } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { abortedError } from '../../errors/abort-reason.js';
import { toUpstreamError } from '../../http/send-upstream-request.js';
import type { ProviderStream } from '../provider.js';

/** Who is streaming, for error messages, and the caller's signal. */
export interface StreamContext {
  provider: ProviderName;
  model: string;
  signal?: AbortSignal;
}

/**
 * Wraps a provider's streamed body as a {@link ProviderStream}: `translate` parses the provider's framing and
 * yields OpenAI-shaped chunks; this adds what every provider needs around it: stopping when the caller goes
 * away, mapping a broken connection to a gateway error, and releasing the connection however the stream ends.
 */
export function translatedStream(
  body: Dispatcher.ResponseData['body'],
  context: StreamContext,
  translate: (body: Dispatcher.ResponseData['body']) => AsyncIterable<ChatStreamChunk>,
): ProviderStream {
  async function* chunks() {
    try {
      for await (const chunk of translate(body)) {
        // Events already buffered would outlive the abort: undici stops watching the signal once the body is in.
        if (context.signal?.aborted) {
          throw abortedError(context.signal, 'the request was cancelled by the caller', {
            provider: context.provider,
            model: context.model,
          });
        }
        yield chunk;
      }
    } catch (error) {
      throw toUpstreamError(error, context, true);
    } finally {
      if (!body.destroyed) body.destroy();
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
