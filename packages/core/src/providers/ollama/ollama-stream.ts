import type { ChatStreamChunk, ChatStreamDelta, FinishReason, ToolCallDelta, Usage } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import type { ProviderStream } from '../provider.js';
import { parseNdjsonLines } from '../shared/ndjson-parser.js';
import {
  parseStreamEventJson,
  type StreamContext,
  streamCutShortError,
  translatedStream,
} from '../shared/translated-stream.js';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
import { ollamaCreatedSeconds, readOllamaChatResponse } from './ollama-api.js';
import { ollamaUsage, toOpenAIToolCall } from './ollama-response.js';

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
      yield chunk(id, created, context.model, { role: 'assistant', content: '' });
    }
    const message = response.message;
    if (message?.thinking) yield chunk(id, created, context.model, { reasoning: message.thinking });
    if (message?.content) yield chunk(id, created, context.model, { content: message.content });
    if (message?.tool_calls !== undefined && message.tool_calls.length > 0) {
      const fragments: ToolCallDelta[] = [];
      for (const call of message.tool_calls) {
        const translated = toOpenAIToolCall(call, toolCount);
        fragments.push({ index: toolCount, ...translated });
        toolCount++;
      }
      yield chunk(id, created, context.model, { tool_calls: fragments });
    }
    if (response.done) {
      finished = true;
      const finishReason = mapOllamaFinishReason(response.done_reason, toolCount > 0);
      yield chunk(id, created, context.model, {}, finishReason, ollamaUsage(response));
    }
  }
  if (!finished) throw streamCutShortError(context);
}

function chunk(
  id: string,
  created: number,
  model: string,
  delta: ChatStreamDelta,
  finishReason: FinishReason | null = null,
  usage?: Usage,
): ChatStreamChunk {
  const translated: ChatStreamChunk = {
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
  if (usage !== undefined) translated.usage = usage;
  return translated;
}
