import type { FinishReason } from '@bifrost/schemas';

const finishReasons: Readonly<Record<string, FinishReason>> = {
  COMPLETE: 'stop',
  STOP_SEQUENCE: 'stop',
  MAX_TOKENS: 'length',
  TOOL_CALL: 'tool_calls',
  // A generation cut short by Cohere's own time limit ends early, as one cut short by a token limit does.
  TIMEOUT: 'length',
};

/**
 * Maps Cohere's `finish_reason` to OpenAI's. `ERROR` has no OpenAI equivalent and is handled by the caller as a
 * provider error; an unknown reason reads as `stop`.
 */
export function mapCohereFinishReason(reason: string | null | undefined): FinishReason | null {
  if (reason === null || reason === undefined) return null;
  return finishReasons[reason] ?? 'stop';
}
