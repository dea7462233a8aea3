import type { FinishReason } from '@bifrost/schemas';

/** Gemini's reasons for stopping a candidate because of what it would say. */
const filteredReasons: ReadonlySet<string> = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
]);

/**
 * Maps a candidate's `finishReason` to OpenAI's: `STOP` is `tool_calls` when the candidate called functions,
 * `MAX_TOKENS` is `length`, the safety family is `content_filter`. Any other reason (`MALFORMED_FUNCTION_CALL`,
 * `OTHER`, a future one) is `stop`, and `unmapped` is set so the caller can warn.
 */
export function mapGeminiFinishReason(
  reason: string,
  calledFunctions: boolean,
): { finishReason: FinishReason; unmapped: boolean } {
  if (reason === 'STOP') return { finishReason: calledFunctions ? 'tool_calls' : 'stop', unmapped: false };
  if (reason === 'MAX_TOKENS') return { finishReason: 'length', unmapped: false };
  if (filteredReasons.has(reason)) return { finishReason: 'content_filter', unmapped: false };
  return { finishReason: calledFunctions ? 'tool_calls' : 'stop', unmapped: true };
}
