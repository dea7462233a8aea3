import type { GatewayError } from '@bifrost/core';
import type { ChatStreamChoice, ChatStreamChunk, ToolCallExtraContent, Usage } from '@bifrost/schemas';
import type { SseEncoder } from '../../write-sse-to-node.js';
import {
  functionCallPart,
  type GenAICandidate,
  type GenAIPart,
  type GenAIResponse,
  genAIFinishReason,
  genAIUsage,
} from './chat-response-to-genai.js';
import { genAIErrorBody } from './genai-error-body.js';

/** A tool call whose arguments are still arriving. */
interface PendingCall {
  id: string;
  name: string;
  arguments: string;
  extra_content?: ToolCallExtraContent;
}

/** What a choice has left to say once its text is out: whole function calls and why it stopped. */
interface ChoiceEnd {
  calls: Map<number, PendingCall>;
  finishReason?: string;
}

const data = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;

/**
 * Re-frames an OpenAI-shaped chunk stream as Gemini's `streamGenerateContent?alt=sse`: one
 * `GenerateContentResponse` per `data:` event. Text and thoughts go out as they arrive; Gemini sends function
 * calls whole, so their argument fragments are joined and sent, with the finish reason and usage, in the last
 * event. A failure after the first byte is a last `data: {"error":…}` event, which the GenAI SDK raises.
 */
export class GenAISseEncoder implements SseEncoder {
  private responseId = '';
  private modelVersion: string;
  private readonly ends = new Map<number, ChoiceEnd>();
  private usage: Usage | undefined;

  /** `model` names the answer until the first chunk names its own. */
  constructor(model: string) {
    this.modelVersion = model;
  }

  chunk(chunk: ChatStreamChunk): string {
    this.responseId = chunk.id;
    this.modelVersion = chunk.model;
    if (chunk.usage) this.usage = chunk.usage;
    const candidates: GenAICandidate[] = [];
    for (const choice of chunk.choices) {
      const parts = this.collect(choice);
      if (parts.length > 0) candidates.push({ content: { role: 'model', parts }, index: choice.index });
    }
    if (candidates.length === 0) return '';
    return data({ candidates, modelVersion: this.modelVersion, responseId: this.responseId });
  }

  end(): string {
    if (this.ends.size === 0 && !this.usage) return '';
    const candidates: GenAICandidate[] = [];
    for (const [index, end] of this.ends) {
      const parts: GenAIPart[] = [];
      for (const call of end.calls.values()) {
        parts.push(functionCallPart({ id: call.id, function: call, extra_content: call.extra_content }));
      }
      // Gemini's last piece of a text answer carries an empty text part beside the finish reason.
      if (parts.length === 0) parts.push({ text: '' });
      const candidate: GenAICandidate = { content: { role: 'model', parts }, index };
      if (end.finishReason) candidate.finishReason = end.finishReason;
      candidates.push(candidate);
    }
    const last: GenAIResponse = { candidates, modelVersion: this.modelVersion, responseId: this.responseId };
    if (this.usage) last.usageMetadata = genAIUsage(this.usage);
    return data(last);
  }

  error(error: GatewayError): string {
    return data(genAIErrorBody(error));
  }

  /** The parts a choice's delta sends now; tool-call fragments and the finish reason are kept for the end. */
  private collect(choice: ChatStreamChoice): GenAIPart[] {
    const parts: GenAIPart[] = [];
    const delta = choice.delta;
    if (delta.reasoning_details && delta.reasoning_details.length > 0) {
      for (const detail of delta.reasoning_details) {
        if (detail.type !== 'reasoning.text') continue;
        const part: GenAIPart = { text: detail.text, thought: true };
        if (detail.signature) part.thoughtSignature = detail.signature;
        parts.push(part);
      }
    } else if (delta.reasoning) {
      parts.push({ text: delta.reasoning, thought: true });
    }
    const text = (delta.content ?? '') + (delta.refusal ?? '');
    if (text !== '') parts.push({ text });
    if (delta.tool_calls || choice.finish_reason) {
      let end = this.ends.get(choice.index);
      if (!end) {
        end = { calls: new Map() };
        this.ends.set(choice.index, end);
      }
      for (const fragment of delta.tool_calls ?? []) {
        let call = end.calls.get(fragment.index);
        if (!call) {
          call = { id: fragment.id ?? '', name: '', arguments: '' };
          end.calls.set(fragment.index, call);
        }
        if (fragment.id) call.id = fragment.id;
        if (fragment.function?.name) call.name += fragment.function.name;
        if (fragment.function?.arguments) call.arguments += fragment.function.arguments;
        if (fragment.extra_content) call.extra_content = fragment.extra_content;
      }
      if (choice.finish_reason) end.finishReason = genAIFinishReason(choice.finish_reason);
    }
    return parts;
  }
}
