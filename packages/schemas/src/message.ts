/** A chat message in OpenAI's shape, the lingua franca every provider is translated to and from. */
export type ChatMessage = SystemMessage | DeveloperMessage | UserMessage | AssistantMessage | ToolMessage;

/** Who wrote a message. */
export type ChatRole = ChatMessage['role'];

/** Instructions that frame the conversation. */
export interface SystemMessage {
  role: 'system';
  content: string | TextContentPart[];
  name?: string;
}

/** Instructions from the developer; OpenAI's newer name for system messages on reasoning models. */
export interface DeveloperMessage {
  role: 'developer';
  content: string | TextContentPart[];
  name?: string;
}

/** A message from the end user, possibly with images, audio or files. */
export interface UserMessage {
  role: 'user';
  content: string | ContentPart[];
  name?: string;
}

/** A message the model wrote: text, tool calls, or both. */
export interface AssistantMessage {
  role: 'assistant';
  content?: string | TextContentPart[] | null;
  name?: string;
  refusal?: string | null;
  tool_calls?: ToolCall[];
  /** Reasoning text some providers return alongside the answer. */
  reasoning?: string;
  /**
   * Reasoning blocks with what is needed to send them back: Anthropic thinking signatures, redacted thinking,
   * Gemini thought signatures. Replay them unchanged on the next turn so the provider accepts the conversation.
   */
  reasoning_details?: ReasoningDetail[];
}

/** One reasoning block, in the shape OpenRouter and upstream Bifrost use. */
export type ReasoningDetail =
  | {
      type: 'reasoning.text';
      text: string;
      /** The provider's proof that the text is its own (Anthropic `signature`, Gemini `thoughtSignature`). */
      signature?: string;
      index?: number;
    }
  | {
      /** Reasoning the provider returns only in encrypted form (Anthropic `redacted_thinking`). */
      type: 'reasoning.encrypted';
      data: string;
      index?: number;
    };

/** Asks the provider to cache the prompt up to and including this block (Anthropic, Bedrock, Vertex). */
export interface CacheControl {
  type: 'ephemeral';
  /** How long the cache entry lives: `5m` (default) or `1h`. */
  ttl?: '5m' | '1h';
}

/** The result of a tool call, answering the assistant message that asked for it. */
export interface ToolMessage {
  role: 'tool';
  content: string | TextContentPart[];
  tool_call_id: string;
}

/** One part of a multi-part message. */
export type ContentPart = TextContentPart | ImageContentPart | AudioContentPart | FileContentPart;

/** Plain text. */
export interface TextContentPart {
  type: 'text';
  text: string;
  cache_control?: CacheControl;
}

/** An image by URL or as a `data:` URL with base64 bytes. */
export interface ImageContentPart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
  cache_control?: CacheControl;
}

/** Audio bytes in base64. */
export interface AudioContentPart {
  type: 'input_audio';
  input_audio: { data: string; format: 'wav' | 'mp3' };
}

/** A file, by id or inline base64 data. */
export interface FileContentPart {
  type: 'file';
  file: { file_id?: string; file_data?: string; filename?: string };
  cache_control?: CacheControl;
}

/** A call the model asks the caller to make. */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  /** Provider data that must travel back with the call, such as Gemini's `thought_signature`. */
  extra_content?: ToolCallExtraContent;
}

/** What Gemini's OpenAI-compatible API puts beside a tool call; kept so a replayed call is accepted. */
export interface ToolCallExtraContent {
  google?: { thought_signature?: string };
}

/** A tool the model may call. */
export interface Tool {
  type: 'function';
  function: {
    name: string;
    description?: string;
    /** A JSON Schema object describing the arguments. */
    parameters?: Record<string, unknown>;
    strict?: boolean;
  };
  /** Caches the tool definitions up to and including this one (Anthropic, Bedrock). */
  cache_control?: CacheControl;
}

/** How the model should choose among tools. */
export type ToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };
