import type { ChatStreamChunk } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { parseServerSentEvents } from '../../../streaming/sse-parser.js';
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

async function* readOpenAIEvents(
  body: Dispatcher.ResponseData['body'],
  context: StreamContext,
): AsyncGenerator<ChatStreamChunk> {
  let done = false;
  let finished = false;
  for await (const event of parseServerSentEvents(body)) {
    // Read on to the end of the body rather than breaking out: leaving a Node stream's iterator early
    // destroys the stream with an AbortError, whose stack trace costs more than the rest of the chunk.
    if (done) continue;
    if (event.data === '[DONE]') {
      done = true;
      continue;
    }
    const chunk = readChatChunk(parseStreamEventJson(event.data, context), context.provider, context.model);
    if (!finished) finished = hasFinishReason(chunk);
    yield chunk;
  }
  // Some compatible servers end without [DONE]; a stream that never finished a choice was cut short.
  if (!done && !finished) throw streamCutShortError(context);
}

function hasFinishReason(chunk: ChatStreamChunk): boolean {
  for (const choice of chunk.choices) if (choice.finish_reason != null) return true;
  return false;
}
