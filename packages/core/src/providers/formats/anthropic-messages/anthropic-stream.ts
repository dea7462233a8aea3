import type { ChatStreamChunk, ChatStreamDelta, FinishReason } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { parseServerSentEvents } from '../../../streaming/sse-parser.js';
import { buildDeltaChunk } from '../../kit/build-chat-chunk.js';
import { malformedStreamEventError } from '../../kit/malformed-stream-event-error.js';
import { parseStreamEventJson } from '../../kit/parse-stream-event-json.js';
import { streamCutShortError } from '../../kit/stream-cut-short-error.js';
import { type StreamContext, translatedStream } from '../../kit/translated-stream.js';
import { upstreamError } from '../../kit/upstream-error.js';
import type { ProviderStream } from '../../provider.js';
import type { AnthropicUsage } from './anthropic-api.js';
import { anthropicErrorBodyFromValue, statusForAnthropicErrorType } from './anthropic-error-body.js';
import { toOpenAIUsage } from './convert-from-anthropic-response.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

/** Wraps an Anthropic Messages SSE body as a stream of OpenAI chat completion chunks. */
export function anthropicChatStream(
  body: Dispatcher.ResponseData['body'],
  context: StreamContext,
): ProviderStream {
  return translatedStream(body, context, (source) => readAnthropicEvents(source, context));
}

/** What a content block turned into on the OpenAI side. */
type BlockTarget = { kind: 'text' } | { kind: 'tool'; index: number } | { kind: 'reasoning'; index: number };

/**
 * Reads an Anthropic Messages SSE body and yields OpenAI chat completion chunks in order: the role first, then
 * text, tool-call and reasoning fragments, and last one chunk with the finish reason and usage. A tool call's
 * `index` counts tool calls, not Anthropic's content blocks; a reasoning fragment's `index` counts reasoning
 * blocks. An `error` event ends the stream with the provider's error.
 */
export async function* readAnthropicEvents(
  body: AsyncIterable<Uint8Array>,
  context: StreamContext,
): AsyncGenerator<ChatStreamChunk> {
  const state = new AnthropicStreamState(context);
  for await (const event of parseServerSentEvents(body)) {
    // Read on to the end of the body rather than breaking out: leaving a Node stream's iterator early
    // destroys the stream with an AbortError (see openai-stream.ts).
    if (state.finished) continue;
    const chunk = state.translate(parseStreamEventJson(event.data, context));
    if (chunk !== undefined) yield chunk;
  }
  if (!state.finished) throw streamCutShortError(context);
}

/** The per-stream bookkeeping: the message's id and model, which block became what, and usage so far. */
class AnthropicStreamState {
  finished = false;
  private readonly context: StreamContext;
  private id = '';
  private model: string;
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly blocks = new Map<number, BlockTarget>();
  private toolCount = 0;
  private reasoningCount = 0;
  private stopReason: string | null = null;
  private readonly usage: AnthropicUsage = {};

  constructor(context: StreamContext) {
    this.context = context;
    this.model = context.model;
  }

  translate(value: unknown): ChatStreamChunk | undefined {
    const event = this.record(value, 'an event that is not an object');
    switch (event.type) {
      case 'message_start': {
        const message = this.record(event.message, 'a message_start without a message');
        if (typeof message.id === 'string') this.id = message.id;
        if (typeof message.model === 'string') this.model = message.model;
        this.addUsage(message.usage);
        return this.chunk({ role: 'assistant', content: '' }, null);
      }
      case 'content_block_start':
        return this.startBlock(
          this.index(event),
          this.record(event.content_block, 'a block start without a block'),
        );
      case 'content_block_delta':
        return this.delta(this.index(event), this.record(event.delta, 'a block delta without a delta'));
      case 'message_delta': {
        const delta = this.record(event.delta, 'a message_delta without a delta');
        if (typeof delta.stop_reason === 'string') this.stopReason = delta.stop_reason;
        this.addUsage(event.usage);
        return undefined;
      }
      case 'message_stop': {
        this.finished = true;
        const chunk = this.chunk({}, mapAnthropicFinishReason(this.stopReason) ?? 'stop');
        chunk.usage = toOpenAIUsage(this.usage);
        return chunk;
      }
      case 'error': {
        const error = anthropicErrorBodyFromValue(event);
        throw upstreamError(statusForAnthropicErrorType(error?.type), {}, error, this.context);
      }
      default:
        // ping, content_block_stop, and event types Anthropic may add later carry nothing to translate.
        return undefined;
    }
  }

  private startBlock(index: number, block: Record<string, unknown>): ChatStreamChunk | undefined {
    switch (block.type) {
      case 'text':
        this.blocks.set(index, { kind: 'text' });
        return typeof block.text === 'string' && block.text !== ''
          ? this.chunk({ content: block.text }, null)
          : undefined;
      case 'tool_use': {
        const toolIndex = this.toolCount++;
        this.blocks.set(index, { kind: 'tool', index: toolIndex });
        if (typeof block.id !== 'string' || typeof block.name !== 'string') {
          throw malformedStreamEventError(this.context, 'a tool_use block without an id and a name');
        }
        return this.chunk(
          {
            tool_calls: [
              {
                index: toolIndex,
                id: block.id,
                type: 'function',
                function: { name: block.name, arguments: '' },
              },
            ],
          },
          null,
        );
      }
      case 'thinking': {
        const reasoningIndex = this.reasoningCount++;
        this.blocks.set(index, { kind: 'reasoning', index: reasoningIndex });
        const text = typeof block.thinking === 'string' ? block.thinking : '';
        return text === '' ? undefined : this.reasoningChunk(text, reasoningIndex);
      }
      case 'redacted_thinking': {
        const reasoningIndex = this.reasoningCount++;
        if (typeof block.data !== 'string')
          throw malformedStreamEventError(this.context, 'a redacted_thinking block without data');
        return this.chunk(
          { reasoning_details: [{ type: 'reasoning.encrypted', data: block.data, index: reasoningIndex }] },
          null,
        );
      }
      default:
        return undefined;
    }
  }

  private delta(index: number, delta: Record<string, unknown>): ChatStreamChunk | undefined {
    const target = this.blocks.get(index);
    switch (delta.type) {
      case 'text_delta':
        return this.chunk({ content: this.text(delta, 'text') }, null);
      case 'input_json_delta': {
        const fragment = this.text(delta, 'partial_json');
        if (target?.kind !== 'tool')
          throw malformedStreamEventError(this.context, 'an input_json_delta outside a tool_use block');
        // Anthropic opens with an empty fragment; it adds nothing to the arguments.
        if (fragment === '') return undefined;
        return this.chunk({ tool_calls: [{ index: target.index, function: { arguments: fragment } }] }, null);
      }
      case 'thinking_delta':
        if (target?.kind !== 'reasoning')
          throw malformedStreamEventError(this.context, 'a thinking_delta outside a thinking block');
        return this.reasoningChunk(this.text(delta, 'thinking'), target.index);
      case 'signature_delta':
        if (target?.kind !== 'reasoning')
          throw malformedStreamEventError(this.context, 'a signature_delta outside a thinking block');
        return this.chunk(
          {
            reasoning_details: [
              {
                type: 'reasoning.text',
                text: '',
                signature: this.text(delta, 'signature'),
                index: target.index,
              },
            ],
          },
          null,
        );
      default:
        // citations_delta and later additions have no OpenAI counterpart.
        return undefined;
    }
  }

  private reasoningChunk(text: string, index: number): ChatStreamChunk {
    return this.chunk(
      { reasoning: text, reasoning_details: [{ type: 'reasoning.text', text, index }] },
      null,
    );
  }

  private chunk(delta: ChatStreamDelta, finishReason: FinishReason | null): ChatStreamChunk {
    return buildDeltaChunk({ id: this.id, created: this.created, model: this.model }, delta, finishReason);
  }

  /** message_start carries the prompt's counts, message_delta the running output count (and, lately, all of them). */
  private addUsage(value: unknown): void {
    if (typeof value !== 'object' || value === null) return;
    const usage = value as Record<string, unknown>;
    for (const name of [
      'input_tokens',
      'output_tokens',
      'cache_read_input_tokens',
      'cache_creation_input_tokens',
    ] as const) {
      const count = usage[name];
      if (typeof count === 'number') this.usage[name] = count;
    }
    const details = usage.output_tokens_details as AnthropicUsage['output_tokens_details'];
    if (typeof details?.thinking_tokens === 'number') this.usage.output_tokens_details = details;
  }

  private record(value: unknown, what: string): Record<string, unknown> {
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
    throw malformedStreamEventError(this.context, what);
  }

  private index(event: Record<string, unknown>): number {
    if (typeof event.index === 'number') return event.index;
    throw malformedStreamEventError(this.context, `a ${String(event.type)} event without an index`);
  }

  private text(delta: Record<string, unknown>, name: string): string {
    const value = delta[name];
    if (typeof value === 'string') return value;
    throw malformedStreamEventError(this.context, `a ${String(delta.type)} without "${name}"`);
  }
}
