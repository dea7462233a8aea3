import type { ChatResponse, ChatStreamChunk, ChatStreamDelta, FinishReason, Usage } from '@bifrost/schemas';

/** A chat completion as the engine returns it, around one assistant message. */
export function chatResponse(
  message: ChatResponse['choices'][number]['message'],
  finishReason: FinishReason | null,
  usage?: Usage,
): ChatResponse {
  const response: ChatResponse = {
    id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
    object: 'chat.completion',
    created: 1741569952,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message, finish_reason: finishReason }],
    extra_fields: { provider: 'openai', model: 'gpt-4o-mini', latency: 12 },
  };
  if (usage) response.usage = usage;
  return response;
}

/** One `chat.completion.chunk` with a delta for choice 0. */
export function chunk(delta: ChatStreamDelta, finishReason: FinishReason | null = null): ChatStreamChunk {
  return {
    id: 'chatcmpl-123',
    object: 'chat.completion.chunk',
    created: 1694268190,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

/** The usage-only chunk OpenAI sends last when `stream_options.include_usage` is set. */
export function usageChunk(usage: Usage): ChatStreamChunk {
  return { ...chunk({}), choices: [], usage };
}

/** Usage with cache reads and writes and reasoning tokens, to check each dialect's arithmetic. */
export const detailedUsage: Usage = {
  prompt_tokens: 100,
  completion_tokens: 30,
  total_tokens: 130,
  prompt_tokens_details: { cached_tokens: 60, cache_write_tokens: 15 },
  completion_tokens_details: { reasoning_tokens: 10 },
};
