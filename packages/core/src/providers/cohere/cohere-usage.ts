import type { Usage } from '@bifrost/schemas';
import type { CohereUsage } from './cohere-api.js';

/**
 * Normalises Cohere's usage to OpenAI's names. `tokens` counts what the model actually read and wrote (prompt
 * template included) and matches OpenAI's meaning; `billed_units` is only the fallback when it is missing.
 * `cached_tokens` is part of the input count, as OpenAI's `cached_tokens` is part of `prompt_tokens`.
 */
export function cohereUsage(usage: CohereUsage | undefined): Usage | undefined {
  if (usage === undefined || usage === null) return undefined;
  const prompt = usage.tokens?.input_tokens ?? usage.billed_units?.input_tokens ?? 0;
  const completion = usage.tokens?.output_tokens ?? usage.billed_units?.output_tokens ?? 0;
  const normalised: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
  if (typeof usage.cached_tokens === 'number' && usage.cached_tokens > 0) {
    normalised.prompt_tokens_details = { cached_tokens: usage.cached_tokens };
  }
  return normalised;
}
