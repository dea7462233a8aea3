import type { ChatStreamChunk } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { parseServerSentEvents } from '../../streaming/sse-parser.js';
import { buildDeltaChunk } from '../kit/build-chat-chunk.js';
import { malformedStreamEventError } from '../kit/malformed-stream-event-error.js';
import { parseStreamEventJson } from '../kit/parse-stream-event-json.js';
import { streamCutShortError } from '../kit/stream-cut-short-error.js';
import { type StreamContext, translatedStream } from '../kit/translated-stream.js';
import type { ProviderStream } from '../provider.js';
import type { CohereUsage } from './cohere-api.js';
import { cohereGenerationError } from './cohere-error.js';
import { cohereUsage } from './cohere-usage.js';
import { mapCohereFinishReason } from './map-cohere-finish-reason.js';

/** The parts of a Cohere stream event this translation reads; every field is optional on the wire. */
interface CohereStreamEvent {
  type?: string;
  id?: string;
  index?: number;
  delta?: {
    message?: {
      content?: { type?: string; text?: string; thinking?: string };
      tool_plan?: string;
      tool_calls?: { id?: string; function?: { name?: string; arguments?: string } };
    };
    finish_reason?: string;
    usage?: CohereUsage;
    error?: string;
  };
}

/**
 * Wraps a Cohere Chat API v2 SSE body (`message-start`, `content-delta`, `tool-call-start`, …, `message-end`)
 * as a stream of OpenAI chat completion chunks.
 */
export function cohereChatStream(
  body: Dispatcher.ResponseData['body'],
  context: StreamContext,
  createdSeconds: number,
): ProviderStream {
  return translatedStream(body, context, (source) => readCohereEvents(source, context, createdSeconds));
}

/**
 * Reads Cohere's events in order and yields one OpenAI chunk per event that carries something: text and tool
 * plan as `content`, thinking as `reasoning`, each tool call as a first fragment with id and name followed by
 * argument fragments under the same `index`, and a last chunk with the finish reason and usage.
 */
export async function* readCohereEvents(
  body: AsyncIterable<Uint8Array>,
  context: StreamContext,
  createdSeconds: number,
): AsyncGenerator<ChatStreamChunk> {
  let id = '';
  let finished = false;
  // Cohere numbers tool calls itself; OpenAI indices must count from 0 in the order calls start.
  const toolIndexByCohereIndex = new Map<number, number>();

  for await (const sse of parseServerSentEvents(body)) {
    // Read on to the end of the body rather than breaking out, as the OpenAI stream does.
    if (finished || sse.data === '[DONE]') continue;
    const event = parseStreamEventJson(sse.data, context) as CohereStreamEvent;
    if (typeof event !== 'object' || event === null)
      throw malformedStreamEventError(context, 'an event that is not an object');
    const message = event.delta?.message;
    switch (event.type ?? sse.event) {
      case 'message-start':
        id = event.id ?? id;
        yield buildDeltaChunk(
          { id, created: createdSeconds, model: context.model },
          { role: 'assistant', content: '' },
        );
        break;
      case 'content-start':
      case 'content-delta': {
        const content = message?.content;
        if (content?.text)
          yield buildDeltaChunk(
            { id, created: createdSeconds, model: context.model },
            { content: content.text },
          );
        else if (content?.thinking)
          yield buildDeltaChunk(
            { id, created: createdSeconds, model: context.model },
            { reasoning: content.thinking },
          );
        break;
      }
      case 'tool-plan-delta':
        if (message?.tool_plan)
          yield buildDeltaChunk(
            { id, created: createdSeconds, model: context.model },
            { content: message.tool_plan },
          );
        break;
      case 'tool-call-start': {
        const call = message?.tool_calls;
        const index = toolIndexByCohereIndex.size;
        toolIndexByCohereIndex.set(event.index ?? index, index);
        yield buildDeltaChunk(
          { id, created: createdSeconds, model: context.model },
          {
            tool_calls: [
              {
                index,
                id: call?.id ?? '',
                type: 'function',
                function: { name: call?.function?.name ?? '', arguments: call?.function?.arguments ?? '' },
              },
            ],
          },
        );
        break;
      }
      case 'tool-call-delta': {
        const fragment = message?.tool_calls?.function?.arguments;
        const index = toolIndexByCohereIndex.get(event.index ?? toolIndexByCohereIndex.size - 1);
        if (fragment && index !== undefined) {
          yield buildDeltaChunk(
            { id, created: createdSeconds, model: context.model },
            {
              tool_calls: [{ index, function: { arguments: fragment } }],
            },
          );
        }
        break;
      }
      case 'message-end': {
        const delta = event.delta;
        if (delta?.error || delta?.finish_reason === 'ERROR')
          throw cohereGenerationError(delta.error, context);
        finished = true;
        yield buildDeltaChunk(
          { id, created: createdSeconds, model: context.model },
          {},
          mapCohereFinishReason(delta?.finish_reason) ?? 'stop',
          cohereUsage(delta?.usage),
        );
        break;
      }
      default:
        // content-end, tool-call-end, citation-start/end and debug carry nothing an OpenAI chunk can hold.
        break;
    }
  }
  if (!finished) throw streamCutShortError(context);
}
