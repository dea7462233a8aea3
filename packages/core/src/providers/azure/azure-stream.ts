import type { ChatStreamChunk } from '@bifrost/schemas';
import type { ProviderStream } from '../provider.js';

/**
 * Drops the chunk Azure opens a stream with when content filtering is on: `choices: []`, no usage, empty `id`,
 * `model` and `object`, and only `prompt_filter_results`. It is not an OpenAI chunk and says nothing about the
 * answer; the per-choice `content_filter_results` on the chunks that follow pass through.
 */
export function withoutPromptAnnotations(stream: ProviderStream): ProviderStream {
  const chunks = answerChunks(stream);
  return { [Symbol.asyncIterator]: () => chunks, cancel: () => stream.cancel() };
}

async function* answerChunks(stream: ProviderStream): AsyncGenerator<ChatStreamChunk> {
  for await (const chunk of stream) {
    if (chunk.choices.length === 0 && !chunk.usage) continue;
    yield chunk;
  }
}
