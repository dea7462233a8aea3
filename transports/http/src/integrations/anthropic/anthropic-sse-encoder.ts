import { randomUUID } from 'node:crypto';
import type { GatewayError } from '@bifrost/core';
import type { ChatStreamChunk, ChatStreamDelta, ReasoningDetail, Usage } from '@bifrost/schemas';
import type { SseEncoder } from '../../write-sse-to-node.js';
import { anthropicErrorBody } from './anthropic-error-body.js';
import type { AnthropicStopReason } from './anthropic-messages-wire.js';
import { anthropicStopReason, anthropicUsage } from './chat-response-to-anthropic.js';

type OpenBlock = 'text' | 'thinking' | 'tool_use';

const event = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

const newMessageId = (): string => `msg_${randomUUID().replaceAll('-', '')}`;

/**
 * Re-frames an OpenAI-shaped chunk stream as Anthropic's documented event sequence: `message_start`, `ping`,
 * then per content block `content_block_start`, its deltas (`text_delta`, `thinking_delta`, `signature_delta`,
 * `input_json_delta`) and `content_block_stop`, numbered in order, and finally `message_delta` with the stop
 * reason and usage, and `message_stop`. OpenAI reports usage after the finish reason, so the closing events wait
 * for the end of the stream. Tool calls are expected one after another, as every provider streams them.
 */
export class AnthropicSseEncoder implements SseEncoder {
  private started = false;
  private nextIndex = 0;
  private open: OpenBlock | undefined;
  private openToolIndex = -1;
  private openReasoningIndex: number | undefined;
  private stopReason: AnthropicStopReason | null = null;
  private usage: Usage | null | undefined;
  private readonly fallbackModel: string;
  private readonly newId: () => string;

  /**
   * `model` (the requested one) and an id from `newId` name the message only when the stream ends before its
   * first chunk, which otherwise names both.
   */
  constructor(model: string, newId: () => string = newMessageId) {
    this.fallbackModel = model;
    this.newId = newId;
  }

  chunk(chunk: ChatStreamChunk): string {
    let out = this.started ? '' : this.start(chunk.id, chunk.model);
    const choice = chunk.choices[0];
    if (choice) {
      out += this.delta(choice.delta);
      if (choice.finish_reason) {
        out += this.close();
        this.stopReason = anthropicStopReason(choice.finish_reason);
      }
    }
    if (chunk.usage) this.usage = chunk.usage;
    return out;
  }

  end(): string {
    let out = this.started ? '' : this.start(this.newId(), this.fallbackModel);
    out += this.close();
    out += event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: this.stopReason ?? 'end_turn', stop_sequence: null },
      usage: anthropicUsage(this.usage),
    });
    return out + event('message_stop', { type: 'message_stop' });
  }

  error(error: GatewayError): string {
    return event('error', anthropicErrorBody(error));
  }

  private start(id: string, model: string): string {
    this.started = true;
    return (
      event('message_start', {
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, output_tokens: 0 },
        },
      }) + event('ping', { type: 'ping' })
    );
  }

  private delta(delta: ChatStreamDelta): string {
    let out = '';
    if (delta.reasoning_details && delta.reasoning_details.length > 0) {
      for (const detail of delta.reasoning_details) out += this.reasoning(detail);
    } else if (delta.reasoning) {
      out += this.ensureOpen('thinking', { type: 'thinking', thinking: '' });
      out += this.blockDelta({ type: 'thinking_delta', thinking: delta.reasoning });
    }
    const text = (delta.content ?? '') + (delta.refusal ?? '');
    if (text !== '') {
      out += this.ensureOpen('text', { type: 'text', text: '' });
      out += this.blockDelta({ type: 'text_delta', text });
    }
    for (const call of delta.tool_calls ?? []) {
      if (call.id !== undefined) {
        out += this.close();
        out += this.openBlock('tool_use', {
          type: 'tool_use',
          id: call.id,
          name: call.function?.name ?? '',
          input: {},
        });
        this.openToolIndex = call.index;
      }
      const fragment = call.function?.arguments;
      if (fragment && this.open === 'tool_use' && this.openToolIndex === call.index) {
        out += this.blockDelta({ type: 'input_json_delta', partial_json: fragment });
      }
    }
    return out;
  }

  private reasoning(detail: ReasoningDetail): string {
    if (detail.type === 'reasoning.encrypted') {
      const out = this.close() + this.openBlock('thinking', { type: 'redacted_thinking', data: detail.data });
      return out + this.close();
    }
    // A fragment with another index is the next thinking block, which has its own signature.
    let out = this.open === 'thinking' && detail.index !== this.openReasoningIndex ? this.close() : '';
    out += this.ensureOpen('thinking', { type: 'thinking', thinking: '' });
    this.openReasoningIndex = detail.index;
    if (detail.text) out += this.blockDelta({ type: 'thinking_delta', thinking: detail.text });
    if (detail.signature) out += this.blockDelta({ type: 'signature_delta', signature: detail.signature });
    return out;
  }

  private ensureOpen(kind: OpenBlock, contentBlock: unknown): string {
    return this.open === kind ? '' : this.close() + this.openBlock(kind, contentBlock);
  }

  private openBlock(kind: OpenBlock, contentBlock: unknown): string {
    this.open = kind;
    return event('content_block_start', {
      type: 'content_block_start',
      index: this.nextIndex,
      content_block: contentBlock,
    });
  }

  private blockDelta(delta: unknown): string {
    return event('content_block_delta', { type: 'content_block_delta', index: this.nextIndex, delta });
  }

  private close(): string {
    if (this.open === undefined) return '';
    this.open = undefined;
    this.openToolIndex = -1;
    this.openReasoningIndex = undefined;
    const index = this.nextIndex++;
    return event('content_block_stop', { type: 'content_block_stop', index });
  }
}
