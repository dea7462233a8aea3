import type { AssistantMessage, ChatChoice, ChatResponse, ProviderName } from '@bifrost/schemas';
import type { ProviderResult } from '../../provider.js';
import type { GeminiGenerateContentResponse } from './gemini-api.js';
import { readCandidateParts, reasoningDetailsOf } from './gemini-parts.js';
import { toUsage } from './gemini-usage.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';

/**
 * Translates a `generateContent` body into an OpenAI chat completion: one choice per candidate, thoughts as
 * `reasoning` and `reasoning_details` (signatures kept), function calls as tool calls with their thought
 * signatures. A prompt blocked before any candidate was generated answers with one `content_filter` choice.
 */
export function fromGeminiResponse(
  response: GeminiGenerateContentResponse,
  provider: ProviderName,
  model: string,
  /** Unix seconds; Gemini does not say when it answered. */
  created: number,
): ProviderResult<ChatResponse> {
  const warnings: string[] = [];
  const choices: ChatChoice[] = [];
  for (const [position, candidate] of (response.candidates ?? []).entries()) {
    const parts = readCandidateParts(candidate.content?.parts, 0);
    const message: AssistantMessage = {
      role: 'assistant',
      content: parts.text === '' && parts.toolCalls.length > 0 ? null : parts.text,
    };
    if (parts.thoughts !== '') message.reasoning = parts.thoughts;
    const details = reasoningDetailsOf(parts);
    if (details.length > 0) message.reasoning_details = details;
    if (parts.toolCalls.length > 0) message.tool_calls = parts.toolCalls;
    if (parts.dropped.length > 0)
      warnings.push(
        `${provider} returned ${parts.dropped.join(', ')} parts, which a chat completion cannot carry`,
      );
    let finishReason: ChatChoice['finish_reason'] = null;
    if (candidate.finishReason !== undefined) {
      const mapped = mapGeminiFinishReason(candidate.finishReason, parts.toolCalls.length > 0);
      if (mapped.unmapped)
        warnings.push(
          `${provider} finished with ${candidate.finishReason}, reported as ${mapped.finishReason}`,
        );
      finishReason = mapped.finishReason;
    }
    choices.push({ index: candidate.index ?? position, message, finish_reason: finishReason });
  }
  const blockReason = response.promptFeedback?.blockReason;
  if (choices.length === 0 && blockReason !== undefined) {
    choices.push(blockedChoice(blockReason, response.promptFeedback?.blockReasonMessage));
    warnings.push(`${provider} blocked the prompt: ${blockReason}`);
  }
  const result: ProviderResult<ChatResponse> = {
    id: response.responseId ?? `gemini-${created}`,
    object: 'chat.completion',
    created,
    model: response.modelVersion ?? model,
    choices,
  };
  if (response.usageMetadata !== undefined) result.usage = toUsage(response.usageMetadata);
  if (warnings.length > 0) result.extra_fields = { warnings };
  return result;
}

/** The choice that stands for a blocked prompt: no content, the reason as a refusal. */
export function blockedChoice(blockReason: string, message: string | undefined): ChatChoice {
  return {
    index: 0,
    message: {
      role: 'assistant',
      content: null,
      refusal: `The prompt was blocked (${blockReason})${message ? `: ${message}` : ''}`,
    },
    finish_reason: 'content_filter',
  };
}

/** Puts the request translator's warnings before the response translator's. */
export function withWarnings<Result extends ProviderResult<{ extra_fields: unknown }>>(
  result: Result,
  warnings: string[],
): Result {
  if (warnings.length === 0) return result;
  const later = result.extra_fields?.warnings ?? [];
  result.extra_fields = { ...result.extra_fields, warnings: [...warnings, ...later] };
  return result;
}
