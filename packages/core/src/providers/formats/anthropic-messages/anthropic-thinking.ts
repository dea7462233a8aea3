import type { ModelParameters } from '@bifrost/schemas';

type ReasoningEffort = NonNullable<ModelParameters['reasoning_effort']>;

/**
 * Thinking budgets for OpenAI's `reasoning_effort`. 1024 is Anthropic's minimum budget; the others grow by
 * about four times per step.
 */
export const anthropicThinkingBudgets: Readonly<Record<ReasoningEffort, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 24576,
};

/** Room left for the answer when the caller set no `max_tokens` and thinking needs a larger one. */
const answerTokens = 4096;

/**
 * The `thinking` field and `max_tokens` for a reasoning effort. Anthropic requires `budget_tokens` below
 * `max_tokens`: without a caller's limit, `max_tokens` becomes budget + 4096; with one, the budget shrinks to fit
 * (never below the 1024 minimum, which Anthropic then rejects with a clear message).
 */
export function thinkingFor(
  effort: ReasoningEffort,
  callerMaxTokens: number | undefined,
): { thinking: { type: 'enabled'; budget_tokens: number }; maxTokens: number } {
  const budget = anthropicThinkingBudgets[effort] ?? anthropicThinkingBudgets.medium;
  if (callerMaxTokens === undefined) {
    return { thinking: { type: 'enabled', budget_tokens: budget }, maxTokens: budget + answerTokens };
  }
  const fitted = Math.max(anthropicThinkingBudgets.minimal, Math.min(budget, callerMaxTokens - 1));
  return { thinking: { type: 'enabled', budget_tokens: fitted }, maxTokens: callerMaxTokens };
}
