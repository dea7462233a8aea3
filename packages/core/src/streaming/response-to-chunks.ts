import type { AssistantMessage, ChatResponse, ChatStreamChunk } from '@bifrost/schemas';

/**
 * Turns a whole chat completion into the chunks a stream would have carried: one with the message, one with
 * the finish reason and usage. Used when a plugin answers a streaming request without calling the provider.
 */
export function responseToChunks(response: ChatResponse): ChatStreamChunk[] {
  const base = {
    id: response.id,
    object: 'chat.completion.chunk' as const,
    created: response.created,
    model: response.model,
  };
  const content: ChatStreamChunk = {
    ...base,
    choices: response.choices.map((choice) => ({
      index: choice.index,
      delta: {
        role: 'assistant' as const,
        content: contentText(choice.message.content),
        ...(choice.message.refusal ? { refusal: choice.message.refusal } : {}),
        ...(choice.message.reasoning ? { reasoning: choice.message.reasoning } : {}),
        ...(choice.message.tool_calls
          ? {
              tool_calls: choice.message.tool_calls.map((call, index) => ({
                index,
                id: call.id,
                type: 'function' as const,
                function: { name: call.function.name, arguments: call.function.arguments },
              })),
            }
          : {}),
      },
      finish_reason: null,
    })),
  };
  const finish: ChatStreamChunk = {
    ...base,
    choices: response.choices.map((choice) => ({
      index: choice.index,
      delta: {},
      finish_reason: choice.finish_reason,
    })),
    usage: response.usage ?? null,
  };
  return [content, finish];
}

/** Stream deltas carry text only, so text parts are joined. */
function contentText(content: AssistantMessage['content']): string | null {
  if (typeof content === 'string') return content;
  if (!content) return null;
  let text = '';
  for (const part of content) text += part.text;
  return text;
}
