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

type Body = Dispatcher.ResponseData['body'];

/**
 * Wraps a provider's streamed body as a {@link ProviderStream}: `translate` parses the provider's framing and
 * yields OpenAI-shaped chunks; this adds what every provider needs around it: stopping when the caller goes
 * away, mapping a broken connection to a gateway error, and releasing the connection however the stream ends.
 */
export function translatedStream(
  body: Body,
  context: StreamContext,
  translate: (body: Body) => AsyncIterable<ChatStreamChunk>,
): ProviderStream {
  const iterator = new TranslatedChunks(body, context, translate(body)[Symbol.asyncIterator]());
  return {
    [Symbol.asyncIterator]: () => iterator,
    cancel: () => {
      if (!body.destroyed) body.destroy();
    },
  };
}

/**
 * The chunks of a translated stream. Written by hand rather than as a generator around `translate`: a chunk then
 * costs one promise on its way through, not a generator's round of them.
 */
class TranslatedChunks implements AsyncIterator<ChatStreamChunk> {
  private readonly body: Body;
  private readonly context: StreamContext;
  private readonly source: AsyncIterator<ChatStreamChunk>;
  private ended = false;

  constructor(body: Body, context: StreamContext, source: AsyncIterator<ChatStreamChunk>) {
    this.body = body;
    this.context = context;
    this.source = source;
  }

  next(): Promise<IteratorResult<ChatStreamChunk>> {
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return this.source.next().then(this.onChunk, this.onError);
  }

  async return(): Promise<IteratorResult<ChatStreamChunk>> {
    if (!this.ended) {
      this.ended = true;
      try {
        await this.source.return?.();
      } finally {
        this.release();
      }
    }
    return { done: true, value: undefined };
  }

  private readonly onChunk = (result: IteratorResult<ChatStreamChunk>): IteratorResult<ChatStreamChunk> => {
    if (result.done) {
      this.end();
      return result;
    }
    // Events already buffered would outlive the abort: undici stops watching the signal once the body is in.
    const signal = this.context.signal;
    if (signal?.aborted) {
      const error = abortedError(signal, 'the request was cancelled by the caller', {
        provider: this.context.provider,
        model: this.context.model,
      });
      // The translator may be mid-read: close it too, so the body is not left half-consumed.
      void this.source.return?.().catch(() => {});
      this.end();
      throw error;
    }
    return result;
  };

  private readonly onError = (error: unknown): never => {
    this.end();
    throw toUpstreamError(error, this.context, true);
  };

  private end(): void {
    this.ended = true;
    this.release();
  }

  private release(): void {
    if (!this.body.destroyed) this.body.destroy();
  }
}
