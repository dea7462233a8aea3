import type { ChatRole, ReasoningDetail, ToolCallExtraContent } from './message.js';
import type { ExtraFields, FinishReason } from './response.js';
import type { Usage } from './usage.js';

/** One server-sent piece of a streamed chat completion, in OpenAI's `chat.completion.chunk` shape. */
export interface ChatStreamChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: ChatStreamChoice[];
  /** Present on the last chunk when the caller asked for usage (`stream_options.include_usage`). */
  usage?: Usage | null;
  system_fingerprint?: string | null;
  service_tier?: string | null;
  /** Set by the gateway on the last chunk only, so intermediate chunks stay as the provider sent them. */
  extra_fields?: ExtraFields;
}

/** The change to one choice carried by a chunk. */
export interface ChatStreamChoice {
  index: number;
  delta: ChatStreamDelta;
  finish_reason: FinishReason | null;
  logprobs?: unknown;
}

/** New text, reasoning or tool-call fragments since the previous chunk. */
export interface ChatStreamDelta {
  role?: ChatRole;
  content?: string | null;
  refusal?: string | null;
  reasoning?: string;
  /** Reasoning fragments; a fragment with the same `index` continues the block (a signature usually comes last). */
  reasoning_details?: ReasoningDetail[];
  tool_calls?: ToolCallDelta[];
}

/** A fragment of a tool call: the first carries id and name, later ones append to the arguments. */
export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
  extra_content?: ToolCallExtraContent;
}
