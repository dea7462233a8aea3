import type { ChatStreamChunk, ProviderName } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { abortedError } from '../../errors/abort-reason.js';
import { GatewayError } from '../../errors/gateway-error.js';
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

/** The error for a stream that ended before the provider said it was finished. */
export function streamCutShortError(context: StreamContext): GatewayError {
  return new GatewayError('provider_error', `${context.provider} closed the stream before it finished`, {
    provider: context.provider,
    model: context.model,
    statusCode: 502,
  });
}

/** The error for a stream event whose payload cannot be read. */
export function malformedStreamEventError(
  context: StreamContext,
  what = 'a stream event that is not JSON',
): GatewayError {
  return new GatewayError('provider_error', `${context.provider} sent ${what}`, {
    provider: context.provider,
    model: context.model,
    statusCode: 502,
  });
}

/** Parses one event's JSON payload; a payload that is not JSON is the provider's fault. */
export function parseStreamEventJson(data: string, context: StreamContext): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw malformedStreamEventError(context);
  }
}
