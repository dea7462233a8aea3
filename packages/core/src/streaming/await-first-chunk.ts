import type { ChatStreamChunk, ProviderName } from '@bifrost/schemas';
import { GatewayError } from '../errors/gateway-error.js';
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
  return {
    [Symbol.asyncIterator]: () => prepend(first, iterator, onEnd),
    cancel: () => {
      stream.cancel();
      onEnd?.();
    },
    warnings: stream.warnings,
  };
}

async function* prepend(
  first: IteratorResult<ChatStreamChunk>,
  rest: AsyncIterator<ChatStreamChunk>,
  onEnd: (() => void) | undefined,
): AsyncGenerator<ChatStreamChunk> {
  if (first.done) {
    onEnd?.();
    return;
  }
  let finished = false;
  try {
    yield first.value;
    for (;;) {
      const next = await rest.next();
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // A consumer that stops early must still let the provider's stream run its own clean-up.
    if (!finished) await rest.return?.();
    onEnd?.();
  }
}
