import type { ChatStreamChunk, ChatStreamDelta } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { buildChatChunk, buildDeltaChunk } from '../kit/build-chat-chunk.js';
import { isRecord } from '../kit/is-record.js';
import { malformedStreamEventError } from '../kit/malformed-stream-event-error.js';
import { parseStreamEventJson } from '../kit/parse-stream-event-json.js';
import { streamCutShortError } from '../kit/stream-cut-short-error.js';
import { type StreamContext, translatedStream } from '../kit/translated-stream.js';
import type { ProviderStream } from '../provider.js';
import { readTokenUsage } from './bedrock-api.js';
import { bedrockStreamException } from './bedrock-error.js';
import { decodeEventStream, EventStreamFramingError } from './bedrock-event-stream.js';
import { toOpenAIUsage } from './bedrock-usage.js';
import type { BedrockAnswerIdentity } from './convert-from-bedrock-response.js';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason.js';

const utf8 = new TextDecoder();

/** Wraps a ConverseStream body (AWS event-stream framing) as a stream of OpenAI chunks. */
export function bedrockChatStream(
  body: Dispatcher.ResponseData['body'],
  identity: BedrockAnswerIdentity,
  context: StreamContext,
): ProviderStream {
  return translatedStream(body, context, (source) => translateBedrockEvents(source, identity, context));
}

/**
 * ConverseStream events → `chat.completion.chunk`s, in order: `messageStart` gives the role, text deltas the
 * content, a `toolUse` block start the tool call's id and name (its `input` deltas the argument fragments),
 * reasoning deltas `reasoning` and `reasoning_details` (signature included), `messageStop` the finish reason,
 * and `metadata` a final usage chunk. Exception messages end the stream with the mapped error.
 */
export async function* translateBedrockEvents(
  body: AsyncIterable<Uint8Array>,
  identity: BedrockAnswerIdentity,
  context: StreamContext,
): AsyncGenerator<ChatStreamChunk> {
  // Converse numbers content blocks across kinds; OpenAI numbers tool calls and reasoning blocks separately.
  const toolIndexByBlock = new Map<number, number>();
  const reasoningIndexByBlock = new Map<number, number>();
  let stopped = false;
  try {
    for await (const message of decodeEventStream(body)) {
      const payload = parseStreamEventJson(utf8.decode(message.body), context);
      if (message.messageType !== 'event') throw bedrockStreamException(message.eventType, payload, context);
      if (!isRecord(payload))
        throw malformedStreamEventError(context, `a ${message.eventType} event that is not an object`);
      switch (message.eventType) {
        case 'messageStart':
          yield buildDeltaChunk(identity, { role: 'assistant' });
          break;
        case 'contentBlockStart': {
          const toolUse = isRecord(payload.start) ? payload.start.toolUse : undefined;
          if (!isRecord(toolUse)) break;
          const index = toolIndexByBlock.size;
          toolIndexByBlock.set(Number(payload.contentBlockIndex), index);
          yield buildDeltaChunk(identity, {
            tool_calls: [
              {
                index,
                id: String(toolUse.toolUseId ?? ''),
                type: 'function',
                function: { name: String(toolUse.name ?? ''), arguments: '' },
              },
            ],
          });
          break;
        }
        case 'contentBlockDelta': {
          const delta = translateDelta(payload, toolIndexByBlock, reasoningIndexByBlock);
          if (delta) yield buildDeltaChunk(identity, delta);
          break;
        }
        case 'messageStop':
          stopped = true;
          yield buildDeltaChunk(
            identity,
            {},
            mapBedrockFinishReason(String(payload.stopReason ?? 'end_turn')),
          );
          break;
        case 'metadata': {
          const usage = readTokenUsage(payload.usage);
          if (usage) yield buildChatChunk(identity, [], toOpenAIUsage(usage));
          break;
        }
        // contentBlockStop and events this gateway does not translate carry nothing for OpenAI's shape.
      }
    }
  } catch (error) {
    if (error instanceof EventStreamFramingError) {
      throw error.reason === 'truncated'
        ? streamCutShortError(context)
        : malformedStreamEventError(context, 'an event-stream message that cannot be decoded');
    }
    throw error;
  }
  if (!stopped) throw streamCutShortError(context);
}

function translateDelta(
  payload: Record<string, unknown>,
  toolIndexByBlock: Map<number, number>,
  reasoningIndexByBlock: Map<number, number>,
): ChatStreamDelta | undefined {
  const delta = payload.delta;
  if (!isRecord(delta)) return undefined;
  const block = Number(payload.contentBlockIndex);
  if (typeof delta.text === 'string') return { content: delta.text };
  if (isRecord(delta.toolUse)) {
    const index = toolIndexByBlock.get(block);
    if (index === undefined || typeof delta.toolUse.input !== 'string') return undefined;
    return { tool_calls: [{ index, function: { arguments: delta.toolUse.input } }] };
  }
  if (isRecord(delta.reasoningContent)) {
    const reasoning = delta.reasoningContent;
    let index = reasoningIndexByBlock.get(block);
    if (index === undefined) {
      index = reasoningIndexByBlock.size;
      reasoningIndexByBlock.set(block, index);
    }
    if (typeof reasoning.text === 'string') {
      return {
        reasoning: reasoning.text,
        reasoning_details: [{ type: 'reasoning.text', text: reasoning.text, index }],
      };
    }
    if (typeof reasoning.signature === 'string') {
      return {
        reasoning_details: [{ type: 'reasoning.text', text: '', signature: reasoning.signature, index }],
      };
    }
    if (typeof reasoning.redactedContent === 'string') {
      return { reasoning_details: [{ type: 'reasoning.encrypted', data: reasoning.redactedContent, index }] };
    }
  }
  return undefined;
}
