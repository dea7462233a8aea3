import type { FinishReason } from '@bifrost/schemas';

const finishReasons: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  // The server paused a long-running turn; the answer so far is complete as far as OpenAI clients can tell.
  pause_turn: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  refusal: 'content_filter',
};

/** Maps Anthropic's `stop_reason` to OpenAI's `finish_reason`; an unknown reason reads as `stop`. */
export function mapAnthropicFinishReason(stopReason: string | null | undefined): FinishReason | null {
  if (stopReason === null || stopReason === undefined) return null;
  return finishReasons[stopReason] ?? 'stop';
}

/** The warning for a turn the server paused, which the caller must send back to continue. */
export const pauseTurnWarning =
  'anthropic paused the turn (stop_reason pause_turn); send the conversation back unchanged to let it continue';
