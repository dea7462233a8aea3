import type { ChatStreamChoice, ChatStreamChunk, ChatStreamDelta, ToolCallDelta } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { parseServerSentEvents } from '../../streaming/sse-parser.js';
import { buildChatChunk } from '../kit/build-chat-chunk.js';
import { malformedStreamEventError } from '../kit/malformed-stream-event-error.js';
import { parseStreamEventJson } from '../kit/parse-stream-event-json.js';
import { streamCutShortError } from '../kit/stream-cut-short-error.js';
import { type StreamContext, translatedStream } from '../kit/translated-stream.js';
import { upstreamError } from '../kit/upstream-error.js';
import type { ProviderStream } from '../provider.js';
import { argumentsText } from './convert-from-mistral-response.js';
import { mapMistralFinishReason } from './map-mistral-finish-reason.js';
import { splitMistralContent } from './mistral-content.js';
import { mistralErrorBody } from './mistral-error.js';
import { toOpenAIUsage } from './mistral-usage.js';

/**
 * Wraps Mistral's SSE body (`data: {chunk}` … `data: [DONE]`) as OpenAI chunks: content chunk lists become
 * `content` and `reasoning` deltas, and tool calls (which Mistral sends whole, in one delta, often all at
 * `index: 0`) are numbered in the order they arrive.
 */
export function mistralChatStream(
  body: Dispatcher.ResponseData['body'],
  context: StreamContext,
): ProviderStream {
  return translatedStream(body, context, (source) => readMistralEvents(source, context));
}

async function* readMistralEvents(
  body: Dispatcher.ResponseData['body'],
  context: StreamContext,
): AsyncGenerator<ChatStreamChunk> {
  let done = false;
  let finished = false;
  // Per choice: how many tool calls have started, so each new call gets the next OpenAI index.
  const toolCallCounts: number[] = [];
  for await (const event of parseServerSentEvents(body)) {
    // Read on to the end rather than breaking out: leaving the iterator early destroys the body with an AbortError.
    if (done) continue;
    if (event.data === '[DONE]') {
      done = true;
      continue;
    }
    const chunk = toOpenAIChunk(parseStreamEventJson(event.data, context), context, toolCallCounts);
    for (const choice of chunk.choices) if (choice.finish_reason !== null) finished = true;
    yield chunk;
  }
  if (!done && !finished) throw streamCutShortError(context);
}

function toOpenAIChunk(value: unknown, context: StreamContext, toolCallCounts: number[]): ChatStreamChunk {
  if (typeof value !== 'object' || value === null)
    throw malformedStreamEventError(context, 'a chunk that is not an object');
  const record = value as Record<string, unknown>;
  if (record.object === 'error') {
    const status = typeof record.raw_status_code === 'number' ? record.raw_status_code : 502;
    throw upstreamError(status, {}, mistralErrorBody(record), context);
  }
  if (!Array.isArray(record.choices)) throw malformedStreamEventError(context, 'a chunk without "choices"');
  const identity = {
    id: String(record.id ?? ''),
    created: typeof record.created === 'number' ? record.created : 0,
    model: typeof record.model === 'string' ? record.model : context.model,
  };
  const choices = record.choices.map((choice: unknown) => toOpenAIChoice(choice, toolCallCounts));
  return buildChatChunk(identity, choices, toOpenAIUsage(record.usage));
}

function toOpenAIChoice(choice: unknown, toolCallCounts: number[]): ChatStreamChoice {
  const record = (choice ?? {}) as {
    index?: unknown;
    delta?: Record<string, unknown>;
    finish_reason?: unknown;
  };
  const index = typeof record.index === 'number' ? record.index : 0;
  const source = record.delta ?? {};
  const delta: ChatStreamDelta = {};
  if (typeof source.role === 'string') delta.role = 'assistant';
  if (typeof source.content === 'string') {
    delta.content = source.content;
  } else if (Array.isArray(source.content)) {
    const { text, reasoning, signedReasoning } = splitMistralContent(source.content);
    if (text !== null) delta.content = text;
    if (reasoning !== '') delta.reasoning = reasoning;
    if (signedReasoning.length > 0)
      delta.reasoning_details = signedReasoning.map((detail) => ({ ...detail, index: 0 }));
  }
  if (Array.isArray(source.tool_calls) && source.tool_calls.length > 0) {
    delta.tool_calls = source.tool_calls.map((call: unknown) => toToolCallDelta(call, index, toolCallCounts));
  }
  return { index, delta, finish_reason: mapMistralFinishReason(record.finish_reason) };
}

function toToolCallDelta(call: unknown, choiceIndex: number, toolCallCounts: number[]): ToolCallDelta {
  const record = (call ?? {}) as { id?: unknown; function?: { name?: unknown; arguments?: unknown } };
  const started = toolCallCounts[choiceIndex] ?? 0;
  // Mistral's SDK fills a missing id with the string "null"; only a real id starts a new call.
  if (typeof record.id === 'string' && record.id !== '' && record.id !== 'null') {
    toolCallCounts[choiceIndex] = started + 1;
    return {
      index: started,
      id: record.id,
      type: 'function',
      function: {
        name: typeof record.function?.name === 'string' ? record.function.name : '',
        arguments: argumentsText(record.function?.arguments),
      },
    };
  }
  return {
    index: Math.max(0, started - 1),
    function: { arguments: argumentsText(record.function?.arguments) },
  };
}
