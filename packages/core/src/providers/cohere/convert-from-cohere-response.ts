import type { AssistantMessage, ChatResponse, ProviderName } from '@bifrost/schemas';
import type { ProviderResult } from '../provider.js';
import type { CohereChatResponse } from './cohere-api.js';
import { cohereGenerationError } from './cohere-error.js';
import { cohereUsage } from './cohere-usage.js';
import { mapCohereFinishReason } from './map-cohere-finish-reason.js';

/**
 * Translates a Cohere chat answer into an OpenAI chat completion. Text items become `content`, thinking items
 * `reasoning`; the `tool_plan` Cohere writes before its tool calls is the text the model said alongside them,
 * so it becomes `content` too (and goes back as `tool_plan` when the caller replays the turn). Citations have
 * no OpenAI field: they stay in the raw response.
 */
export function fromCohereResponse(
  response: CohereChatResponse,
  context: { provider: ProviderName; model: string },
  createdSeconds: number,
): ProviderResult<ChatResponse> {
  if (response.finish_reason === 'ERROR') throw cohereGenerationError(undefined, context);
  let text = '';
  let reasoning = '';
  for (const item of response.message.content ?? []) {
    if (item.type === 'text') text += item.text;
    else if (item.type === 'thinking') reasoning += item.thinking;
  }
  const toolCalls = response.message.tool_calls ?? [];
  const content = (toolCalls.length > 0 ? (response.message.tool_plan ?? '') : '') + text;
  const message: AssistantMessage = {
    role: 'assistant',
    content: content === '' && toolCalls.length > 0 ? null : content,
  };
  if (reasoning !== '') message.reasoning = reasoning;
  if (toolCalls.length > 0) {
    message.tool_calls = toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      // A call without arguments reads as an empty object, which is what OpenAI sends.
      function: { name: call.function.name, arguments: call.function.arguments || '{}' },
    }));
  }
  const result: ProviderResult<ChatResponse> = {
    id: response.id,
    object: 'chat.completion',
    created: createdSeconds,
    model: context.model,
    choices: [{ index: 0, message, finish_reason: mapCohereFinishReason(response.finish_reason) }],
  };
  const usage = cohereUsage(response.usage);
  if (usage !== undefined) result.usage = usage;
  return result;
}
