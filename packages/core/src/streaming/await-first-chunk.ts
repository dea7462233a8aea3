import type { ChatStreamChunk, ProviderName } from '@bifrost/schemas';
import { GatewayError } from '../errors/gateway-error.js';
import { redactUpstreamError } from '../errors/redact-upstream-error.js';
import type { ProviderStream } from '../providers/provider.js';

/**
 * Waits for a stream's first chunk, at most `timeoutMs`, and hands back a stream that starts with it. Until the
 * first chunk nothing has reached the caller, so a stream that fails or stays silent here can still be retried or
 * fall back: the engine calls this while the attempt is still its own.
 */
export async function awaitFirstChunk(
  stream: ProviderStream,
  timeoutMs: number,
  context: { provider: ProviderName; model: string },
  /** Called once when the stream ends, however it ends (finished, failed, cancelled or left early). */
  onEnd?: () => void,
  /** The key the stream was opened with: an error later in the stream leaves with it redacted. */
  secret?: string,
): Promise<ProviderStream> {
  const iterator = stream[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new GatewayError(
          'timeout',
          `${context.provider} sent no stream data within ${timeoutMs / 1000}s (first_token_timeout_in_seconds)`,
          { provider: context.provider, model: context.model },
        ),
      );
    }, timeoutMs);
  });
  let first: IteratorResult<ChatStreamChunk>;
  try {
    first = await Promise.race([iterator.next(), timedOut]);
  } catch (error) {
    stream.cancel();
    onEnd?.();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const chunks = new ChunksAfterFirst(first, iterator, onEnd, secret);
  return {
    [Symbol.asyncIterator]: () => chunks,
    cancel: () => {
      stream.cancel();
      onEnd?.();
    },
    warnings: stream.warnings,
  };
}

/**
 * The first chunk, already read, then the rest of the stream; `onEnd` once, however it ends. Written by hand
 * rather than as a generator: a chunk then costs no promise of its own on its way through.
 */
class ChunksAfterFirst implements AsyncIterator<ChatStreamChunk> {
  private first: IteratorResult<ChatStreamChunk> | undefined;
  private readonly rest: AsyncIterator<ChatStreamChunk>;
  private onEnd: (() => void) | undefined;
  private readonly secret: string | undefined;
  private ended = false;

  constructor(
    first: IteratorResult<ChatStreamChunk>,
    rest: AsyncIterator<ChatStreamChunk>,
    onEnd: (() => void) | undefined,
    secret: string | undefined,
  ) {
    this.first = first;
    this.rest = rest;
    this.onEnd = onEnd;
    this.secret = secret;
  }

  next(): Promise<IteratorResult<ChatStreamChunk>> {
    const first = this.first;
    if (first !== undefined) {
      this.first = undefined;
      if (first.done) this.end();
      return Promise.resolve(first);
    }
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return this.rest.next().then(this.onNext, this.onError);
  }

  async return(): Promise<IteratorResult<ChatStreamChunk>> {
    if (!this.ended) {
      // A consumer that stops early must still let the provider's stream run its own clean-up.
      try {
        await this.rest.return?.();
      } finally {
        this.end();
      }
    }
    return { done: true, value: undefined };
  }

  private readonly onNext = (result: IteratorResult<ChatStreamChunk>): IteratorResult<ChatStreamChunk> => {
    if (result.done) this.end();
    return result;
  };

  private readonly onError = (error: unknown): never => {
    this.end();
    // An error event mid-stream may quote the key back: it leaves here, past the retry loop, so it is redacted here.
    throw redactUpstreamError(error, this.secret);
  };

  private end(): void {
    this.ended = true;
    const onEnd = this.onEnd;
    this.onEnd = undefined;
    onEnd?.();
  }
}
