import type { Tool, ToolChoice } from './message.js';

/**
 * Generation parameters in OpenAI's names.
 *
 * Fields not listed here are kept and passed through to the provider, so a new upstream option works before
 * the gateway learns its name.
 */
export interface ModelParameters {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  stop?: string | string[];
  presence_penalty?: number;
  frequency_penalty?: number;
  logit_bias?: Record<string, number>;
  logprobs?: boolean;
  top_logprobs?: number;
  n?: number;
  seed?: number;
  user?: string;
  tools?: Tool[];
  tool_choice?: ToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: ResponseFormat;
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high';
  stream_options?: { include_usage?: boolean };
  /** Embeddings: the vector encoding. */
  encoding_format?: 'float' | 'base64';
  /** Embeddings: the vector size, where the model supports it. */
  dimensions?: number;
  [passthrough: string]: unknown;
}

/** The shape the answer must take: free text, any JSON object, or JSON matching a schema. */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean };
    };
