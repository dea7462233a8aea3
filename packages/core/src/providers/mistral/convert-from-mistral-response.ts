import type { AssistantMessage, ChatResponse, ProviderName, ToolCall } from '@bifrost/schemas';
import { errorInSuccessBody } from '../kit/error-in-success-body.js';
import { malformedResponseError } from '../kit/malformed-response-error.js';
import type { ProviderResult } from '../provider.js';
import { mapMistralFinishReason } from './map-mistral-finish-reason.js';
import { splitMistralContent } from './mistral-content.js';
import { mistralErrorBody } from './mistral-error.js';
import { toOpenAIUsage } from './mistral-usage.js';

/** Checks a 2xx body is an object; one that carries Mistral's error envelope becomes that error. */
export function expectMistralObject(
  value: unknown,
  what: string,
  provider: ProviderName,
  model: string,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformedResponseError(provider, model, `expected a ${what} object`);
  }
  const record = value as Record<string, unknown>;
  if (record.object === 'error' || record.error != null) {
    throw errorInSuccessBody(mistralErrorBody(record), provider, model);
  }
  return record;
}

/**
 * Translates Mistral's chat completion into OpenAI's: content chunks become text plus `reasoning`, tool call
 * arguments become the JSON string OpenAI promises, finish reasons and usage are mapped.
 */
export function fromMistralChatCompletion(
  value: unknown,
  provider: ProviderName,
  model: string,
): ProviderResult<ChatResponse> {
  const body = expectMistralObject(value, 'chat completion', provider, model);
  if (!Array.isArray(body.choices)) throw malformedResponseError(provider, model, 'missing "choices" array');
  const warnings: string[] = [];
  const choices = body.choices.map((choice: unknown, position: number) => {
    const record = (choice ?? {}) as Record<string, unknown>;
    const message = record.message;
    if (typeof message !== 'object' || message === null) {
      throw malformedResponseError(provider, model, 'a choice has no "message"');
    }
    if (record.finish_reason === 'error') warnings.push('mistral ended the generation with an error');
    return {
      index: typeof record.index === 'number' ? record.index : position,
      message: toOpenAIMessage(message as Record<string, unknown>),
      finish_reason: mapMistralFinishReason(record.finish_reason) ?? 'stop',
      logprobs: null,
    };
  });
  const response: ProviderResult<ChatResponse> = {
    id: String(body.id ?? ''),
    object: 'chat.completion',
    created: typeof body.created === 'number' ? body.created : 0,
    model: typeof body.model === 'string' ? body.model : model,
    choices,
  };
  const usage = toOpenAIUsage(body.usage);
  if (usage) response.usage = usage;
  if (warnings.length > 0) response.extra_fields = { warnings };
  return response;
}

function toOpenAIMessage(message: Record<string, unknown>): AssistantMessage {
  const { text, reasoning, signedReasoning } = splitMistralContent(message.content);
  const translated: AssistantMessage = { role: 'assistant', content: text };
  if (reasoning !== '') translated.reasoning = reasoning;
  if (signedReasoning.length > 0) translated.reasoning_details = signedReasoning;
  if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
    translated.tool_calls = message.tool_calls.map(toOpenAIToolCall);
  }
  return translated;
}

function toOpenAIToolCall(call: unknown): ToolCall {
  const record = (call ?? {}) as { id?: unknown; function?: { name?: unknown; arguments?: unknown } };
  return {
    id: typeof record.id === 'string' ? record.id : '',
    type: 'function',
    function: {
      name: typeof record.function?.name === 'string' ? record.function.name : '',
      arguments: argumentsText(record.function?.arguments),
    },
  };
}

/** Mistral may send arguments as an object; OpenAI's callers expect the JSON text. */
export function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined || value === null ? '' : JSON.stringify(value);
}
