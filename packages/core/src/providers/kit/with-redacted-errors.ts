import type { ChatStreamChunk } from '@bifrost/schemas';
import type { Provider, ProviderCallOptions, ProviderStream } from '../provider.js';
import { redactSecret } from './redact-secret.js';
import { redactUpstreamError } from './redact-upstream-error.js';

/**
 * Wraps a provider so that every error it rejects with, or throws in the middle of a stream, has the call's key
 * redacted by {@link redactUpstreamError}: this is where the key is known for every path, including the ones
 * whose parser never sees it (an error object in a 2xx body, an error event in a stream).
 */
export function withRedactedErrors(provider: Provider): Provider {
  const call =
    <Request, Result>(method: (request: Request, options: ProviderCallOptions) => Promise<Result>) =>
    async (request: Request, options: ProviderCallOptions): Promise<Result> => {
      try {
        return await method.call(provider, request, options);
      } catch (error) {
        throw redactUpstreamError(error, options.key.value);
      }
    };
  const openStream = call(provider.chatCompletionStream);
  return {
    name: provider.name,
    get requiresKey() {
      return provider.requiresKey;
    },
    chatCompletion: call(provider.chatCompletion),
    chatCompletionStream: async (request, options) =>
      redactedStream(await openStream(request, options), options.key.value),
    textCompletion: call(provider.textCompletion),
    embedding: call(provider.embedding),
    listModels: async (options) => {
      try {
        return await provider.listModels(options);
      } catch (error) {
        throw redactUpstreamError(error, options.key.value);
      }
    },
    close: () => provider.close(),
  };
}

function redactedStream(stream: ProviderStream, secret: string): ProviderStream {
  // A key redactSecret leaves alone (none, or too short) needs no wrapper and its cost per chunk.
  if (redactSecret(secret, secret) === secret) return stream;
  const fail = (error: unknown): never => {
    throw redactUpstreamError(error, secret);
  };
  return {
    [Symbol.asyncIterator]: (): AsyncIterator<ChatStreamChunk> => {
      const iterator = stream[Symbol.asyncIterator]();
      return {
        next: () => iterator.next().then(undefined, fail),
        return: async () => {
          try {
            return (await iterator.return?.()) ?? { done: true, value: undefined };
          } catch (error) {
            return fail(error);
          }
        },
      };
    },
    cancel: () => stream.cancel(),
    warnings: stream.warnings,
  };
}
