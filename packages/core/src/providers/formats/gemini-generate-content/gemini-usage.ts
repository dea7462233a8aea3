import type { Usage } from '@bifrost/schemas';
import type { GeminiUsageMetadata } from './gemini-api.js';

/**
 * Normalises Gemini's `usageMetadata`: completion tokens include the thinking tokens (as OpenAI counts
 * reasoning tokens), which are also reported as `reasoning_tokens`; cached prompt tokens as `cached_tokens`.
 */
export function toUsage(metadata: GeminiUsageMetadata): Usage {
  const prompt = (metadata.promptTokenCount ?? 0) + (metadata.toolUsePromptTokenCount ?? 0);
  const thoughts = metadata.thoughtsTokenCount ?? 0;
  const completion = (metadata.candidatesTokenCount ?? 0) + thoughts;
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: metadata.totalTokenCount ?? prompt + completion,
  };
  if (metadata.cachedContentTokenCount !== undefined) {
    usage.prompt_tokens_details = { cached_tokens: metadata.cachedContentTokenCount };
  }
  if (metadata.thoughtsTokenCount !== undefined)
    usage.completion_tokens_details = { reasoning_tokens: thoughts };
  return usage;
}
