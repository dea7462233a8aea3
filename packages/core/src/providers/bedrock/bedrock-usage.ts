import type { Usage } from '@bifrost/schemas';
import type { BedrockTokenUsage } from './bedrock-api.js';

/**
 * Converse counts → OpenAI usage. Bedrock's `inputTokens` leaves out the cached prompt (read or written), while
 * OpenAI's `prompt_tokens` includes it, so the cache counts are added back and also reported in the details.
 */
export function toOpenAIUsage(usage: BedrockTokenUsage): Usage {
  const cacheRead = usage.cacheReadInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const promptTokens = usage.inputTokens + cacheRead + cacheWrite;
  const result: Usage = {
    prompt_tokens: promptTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens ?? promptTokens + usage.outputTokens,
  };
  if (usage.cacheReadInputTokens !== undefined || usage.cacheWriteInputTokens !== undefined) {
    result.prompt_tokens_details = {};
    if (usage.cacheReadInputTokens !== undefined) result.prompt_tokens_details.cached_tokens = cacheRead;
    if (usage.cacheWriteInputTokens !== undefined)
      result.prompt_tokens_details.cache_write_tokens = cacheWrite;
  }
  return result;
}
