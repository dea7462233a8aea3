/**
 * The Anthropic Messages API as the gateway serves it to Anthropic's SDKs
 * (https://docs.anthropic.com/en/api/messages): the answer and stream shapes it writes. Requests are read
 * field by field, with validation, in `anthropic-to-chat-request.ts`.
 */

import type { CacheControl } from '@bifrost/schemas';

/** A block of an answer. */
export type AnthropicResponseBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

/** Why the model stopped, as Anthropic says it. */
export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

/** Token counts as Anthropic reports them: `input_tokens` leaves out the cached parts of the prompt. */
export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

/** A whole answer: `POST /v1/messages` without streaming. */
export interface AnthropicMessageResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
}

/** The text blocks of a system prompt or a tool result. */
export interface AnthropicTextInput {
  type: 'text';
  text: string;
  cache_control?: CacheControl;
}
