import type { AssistantMessage, ChatResponse, ProviderName, ToolCall, Usage } from '@bifrost/schemas';
import type { ProviderResult } from '../provider.js';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
import type { OllamaChatResponse, OllamaCounts, OllamaToolCall } from './ollama-api.js';

/**
 * Translates an Ollama chat answer into an OpenAI chat completion: `thinking` becomes `reasoning`, tool calls
 * get ids (`call_0`, `call_1`, … unless the server sent its own) and their argument objects become JSON text.
 */
export function fromOllamaChatResponse(
  response: OllamaChatResponse,
  context: { provider: ProviderName; model: string },
  id: string,
  createdSeconds: number,
): ProviderResult<ChatResponse> {
  const ollamaMessage = response.message;
  const toolCalls = (ollamaMessage?.tool_calls ?? []).map(toOpenAIToolCall);
  const content = ollamaMessage?.content ?? '';
  const message: AssistantMessage = {
    role: 'assistant',
    content: content === '' && toolCalls.length > 0 ? null : content,
  };
  if (ollamaMessage?.thinking) message.reasoning = ollamaMessage.thinking;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id,
    object: 'chat.completion',
    created: createdSeconds,
    model: context.model,
    choices: [
      { index: 0, message, finish_reason: mapOllamaFinishReason(response.done_reason, toolCalls.length > 0) },
    ],
    usage: ollamaUsage(response),
  };
}

/** One Ollama tool call in OpenAI's shape; `position` numbers it within the answer when the server gave no id. */
export function toOpenAIToolCall(call: OllamaToolCall, position: number): ToolCall {
  return {
    id: typeof call.id === 'string' && call.id !== '' ? call.id : `call_${position}`,
    type: 'function',
    function: { name: call.function.name, arguments: JSON.stringify(call.function.arguments ?? {}) },
  };
}

/** Ollama's counters as OpenAI usage; Ollama reports neither cached nor reasoning tokens apart. */
export function ollamaUsage(counts: OllamaCounts): Usage {
  const prompt = counts.prompt_eval_count ?? 0;
  const completion = counts.eval_count ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
