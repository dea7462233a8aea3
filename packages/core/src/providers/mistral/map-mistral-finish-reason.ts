import type { FinishReason } from '@bifrost/schemas';

/**
 * Maps Mistral's finish reasons to OpenAI's. `model_length` (the model's context is full) is a `length` stop;
 * `error` (generation failed part-way) has no OpenAI counterpart and ends as `stop`, with a warning where the
 * answer can carry one.
 */
export function mapMistralFinishReason(reason: unknown): FinishReason | null {
  switch (reason) {
    case null:
    case undefined:
      return null;
    case 'length':
    case 'model_length':
      return 'length';
    case 'tool_calls':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}
