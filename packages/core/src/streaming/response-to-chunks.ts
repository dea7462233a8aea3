import type { ChatResponse, ChatStreamChunk } from '@bifrost/schemas';

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
        content: typeof choice.message.content === 'string' ? choice.message.content : null,
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
