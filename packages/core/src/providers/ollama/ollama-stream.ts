import type { ChatStreamChunk, ToolCallDelta } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { buildDeltaChunk } from '../kit/build-chat-chunk.js';
import { parseNdjsonLines } from '../kit/parse-ndjson-lines.js';
import { parseStreamEventJson } from '../kit/parse-stream-event-json.js';
import { streamCutShortError } from '../kit/stream-cut-short-error.js';
import { type StreamContext, translatedStream } from '../kit/translated-stream.js';
import type { ProviderStream } from '../provider.js';
import { ollamaUsage, toOpenAIToolCall } from './convert-from-ollama-response.js';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
import { ollamaCreatedSeconds, readOllamaChatResponse } from './ollama-api.js';

/** Wraps an Ollama `/api/chat` NDJSON body (`done: false` lines, then one `done: true`) as OpenAI chunks. */
export function ollamaChatStream(
  body: Dispatcher.ResponseData['body'],
  context: StreamContext,
  id: string,
  fallbackCreatedSeconds: number,
): ProviderStream {
  return translatedStream(body, context, (source) =>
    readOllamaLines(source, context, id, fallbackCreatedSeconds),
  );
}

/**
 * Reads Ollama's stream lines in order: a first chunk with the assistant role, then `thinking` as `reasoning`,
 * `content` as `content`, each tool call whole in one fragment with its own index, and a last chunk with the
 * finish reason and usage from the `done: true` line. An `{"error": …}` line ends the stream with that error.
 */
export async function* readOllamaLines(
  body: AsyncIterable<Uint8Array>,
  context: StreamContext,
  id: string,
  fallbackCreatedSeconds: number,
): AsyncGenerator<ChatStreamChunk> {
  let created: number | undefined;
  let toolCount = 0;
  let finished = false;
  for await (const line of parseNdjsonLines(body)) {
    if (finished) continue;
    const response = readOllamaChatResponse(
      parseStreamEventJson(line, context),
      context.provider,
      context.model,
    );
    if (created === undefined) {
      created = ollamaCreatedSeconds(response.created_at, fallbackCreatedSeconds);
      yield buildDeltaChunk({ id, created, model: context.model }, { role: 'assistant', content: '' });
    }
    const message = response.message;
    if (message?.thinking)
      yield buildDeltaChunk({ id, created, model: context.model }, { reasoning: message.thinking });
    if (message?.content)
      yield buildDeltaChunk({ id, created, model: context.model }, { content: message.content });
    if (message?.tool_calls !== undefined && message.tool_calls.length > 0) {
      const fragments: ToolCallDelta[] = [];
      for (const call of message.tool_calls) {
        const translated = toOpenAIToolCall(call, toolCount);
        fragments.push({ index: toolCount, ...translated });
        toolCount++;
      }
      yield buildDeltaChunk({ id, created, model: context.model }, { tool_calls: fragments });
    }
    if (response.done) {
      finished = true;
      const finishReason = mapOllamaFinishReason(response.done_reason, toolCount > 0);
      yield buildDeltaChunk({ id, created, model: context.model }, {}, finishReason, ollamaUsage(response));
    }
  }
  if (!finished) throw streamCutShortError(context);
}
