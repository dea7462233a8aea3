import type { ChatStreamChunk } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { keepRawChunkJson } from '../../../streaming/raw-chunk-json.js';
import { ServerSentEventDecoder } from '../../../streaming/server-sent-event-decoder.js';
import { parseStreamEventJson } from '../../kit/parse-stream-event-json.js';
import { streamCutShortError } from '../../kit/stream-cut-short-error.js';
import { type StreamContext, translatedStream } from '../../kit/translated-stream.js';
import type { ProviderStream } from '../../provider.js';
import { readChatChunk } from './openai-api.js';

/** Wraps an OpenAI-style SSE body (`data: {chunk}` … `data: [DONE]`) as a stream of validated chunks. */
export function openAIChatStream(
  body: Dispatcher.ResponseData['body'],
  context: StreamContext,
): ProviderStream {
  return translatedStream(body, context, (source) => readOpenAIEvents(source, context));
}

/** How far an OpenAI stream has got: `[DONE]` seen, and whether a choice finished. */
interface OpenAIStreamState {
  done: boolean;
  finished: boolean;
}

async function* readOpenAIEvents(
  body: Dispatcher.ResponseData['body'],
  context: StreamContext,
): AsyncGenerator<ChatStreamChunk> {
  const decoder = new ServerSentEventDecoder();
  const state: OpenAIStreamState = { done: false, finished: false };
  // Every event of one network read is handled in one step; only the chunks themselves are awaited.
  for await (const bytes of body) {
    const events = decoder.feed(bytes);
    for (let index = 0; index < events.length; index++) {
      const chunk = readEvent(events[index]!.data, state, context);
      if (chunk !== undefined) yield chunk;
    }
  }
  for (const event of decoder.finish()) {
    const chunk = readEvent(event.data, state, context);
    if (chunk !== undefined) yield chunk;
  }
  // Some compatible servers end without [DONE]; a stream that never finished a choice was cut short.
  if (!state.done && !state.finished) throw streamCutShortError(context);
}

function readEvent(
  data: string,
  state: OpenAIStreamState,
  context: StreamContext,
): ChatStreamChunk | undefined {
  // Read on to the end of the body rather than breaking out: leaving a Node stream's iterator early destroys
  // the stream with an AbortError, whose stack trace costs more than the rest of the chunk.
  if (state.done) return undefined;
  if (data === '[DONE]') {
    state.done = true;
    return undefined;
  }
  const parsed = parseStreamEventJson(data, context);
  const hadChoices = Array.isArray((parsed as { choices?: unknown } | null)?.choices);
  const chunk = readChatChunk(parsed, context.provider, context.model);
  if (!state.finished) state.finished = hasFinishReason(chunk);
  // A chunk normalised on the way in no longer matches its text, and text spread over several `data:` lines
  // could not be framed again as one.
  return hadChoices && !hasLineBreak(data) ? keepRawChunkJson(chunk, data) : chunk;
}

function hasLineBreak(text: string): boolean {
  return text.indexOf('\n') !== -1 || text.indexOf('\r') !== -1;
}

function hasFinishReason(chunk: ChatStreamChunk): boolean {
  for (const choice of chunk.choices) if (choice.finish_reason != null) return true;
  return false;
}
