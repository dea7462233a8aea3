import type { FinishReason } from '@bifrost/schemas';

/** Converse `stopReason` → OpenAI `finish_reason`; a reason this table does not know reads as `stop`. */
export function mapBedrockFinishReason(stopReason: string): FinishReason {
  switch (stopReason) {
    case 'tool_use':
      return 'tool_calls';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    default:
      // end_turn, stop_sequence, and malformed_* (the model ended its turn, badly).
      return 'stop';
  }
}
