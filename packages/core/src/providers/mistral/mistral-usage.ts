import type { Usage } from '@bifrost/schemas';

/** Normalises Mistral's usage block; cached prompt tokens appear as `prompt_tokens_details.cached_tokens`. */
export function toOpenAIUsage(value: unknown): Usage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const usage = value as Record<string, unknown>;
  const promptTokens = numberOr(usage.prompt_tokens, 0);
  const completionTokens = numberOr(usage.completion_tokens, 0);
  const normalised: Usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: numberOr(usage.total_tokens, promptTokens + completionTokens),
  };
  const details = usage.prompt_tokens_details as { cached_tokens?: unknown } | undefined;
  const cached = numberOr(details?.cached_tokens, numberOr(usage.num_cached_tokens, 0));
  if (cached > 0) normalised.prompt_tokens_details = { cached_tokens: cached };
  return normalised;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
