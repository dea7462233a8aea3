/**
 * The Anthropic Messages API's wire types (https://docs.anthropic.com/en/api/messages), as far as the gateway
 * reads or writes them. Request blocks are built by `anthropic-request.ts`; answers are checked by the readers in
 * `anthropic-response.ts` and `anthropic-stream.ts` before these types are trusted.
 */

import type { CacheControl } from '@bifrost/schemas';

/** The API version every request names in the `anthropic-version` header. */
export const anthropicVersion = '2023-06-01';

/** A text block, in a message, the system prompt or a tool result. */
export interface AnthropicTextBlock {
  type: 'text';
  text: string;
  cache_control?: CacheControl;
}

/** An image by URL or inline base64 bytes. */
export interface AnthropicImageBlock {
  type: 'image';
  source: { type: 'url'; url: string } | { type: 'base64'; media_type: string; data: string };
  cache_control?: CacheControl;
}

/** A document (PDF) inline or by Files API id. */
export interface AnthropicDocumentBlock {
  type: 'document';
  source: { type: 'base64'; media_type: string; data: string } | { type: 'file'; file_id: string };
  title?: string;
  cache_control?: CacheControl;
}

/** A tool call the model made. */
export interface AnthropicToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
  cache_control?: CacheControl;
}

/** The caller's answer to a tool call, sent in a user turn. */
export interface AnthropicToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: string | AnthropicTextBlock[];
  cache_control?: CacheControl;
}

/** Extended thinking with the signature that proves it is the model's own. */
export interface AnthropicThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

/** Thinking the safety systems flagged, returned encrypted. */
export interface AnthropicRedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

/** Any block the gateway sends in a message. */
export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicDocumentBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock;

/** One turn of the conversation; roles must alternate. */
export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: string | AnthropicContentBlock[];
}

/** A tool definition. */
export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
  cache_control?: CacheControl;
}

/** How the model should choose among tools. */
export type AnthropicToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

/** Token counts as Anthropic reports them: `input_tokens` excludes the cached parts. */
export interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  /** Of `output_tokens`, those spent thinking. */
  output_tokens_details?: { thinking_tokens?: number } | null;
}

/** Why the model stopped. */
export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';
