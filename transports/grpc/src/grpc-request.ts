import type { ProtoStruct, ProtoValue } from './struct-value.js';

/**
 * The request messages of `bifrost.v1` as @grpc/proto-loader decodes them (`keepCase`, `defaults: false`): a
 * field the caller did not set is absent, and an empty repeated field reads as absent too.
 */

/** `bifrost.v1.ModelReference`. */
export interface GrpcModelReference {
  provider?: string;
  model?: string;
}

/** `bifrost.v1.ContentPart`. */
export interface GrpcContentPart {
  type?: string;
  text?: string;
  image_url?: { url?: string; detail?: string };
  input_audio?: { data?: string; format?: string };
  file?: { file_id?: string; file_data?: string; filename?: string };
}

/** `bifrost.v1.ToolCall`. */
export interface GrpcToolCall {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

/** `bifrost.v1.ChatMessage`. */
export interface GrpcChatMessage {
  role?: string;
  content?: string;
  content_parts?: GrpcContentPart[];
  name?: string;
  tool_call_id?: string;
  tool_calls?: GrpcToolCall[];
  refusal?: string;
  reasoning?: string;
}

/** `bifrost.v1.Tool`. */
export interface GrpcTool {
  type?: string;
  function?: { name?: string; description?: string; parameters?: ProtoStruct; strict?: boolean };
}

/** `bifrost.v1.ModelParameters`. */
export interface GrpcModelParameters {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  stop?: string[];
  presence_penalty?: number;
  frequency_penalty?: number;
  logit_bias?: Record<string, number>;
  logprobs?: boolean;
  top_logprobs?: number;
  n?: number;
  seed?: number;
  user?: string;
  tools?: GrpcTool[];
  tool_choice?: ProtoValue;
  parallel_tool_calls?: boolean;
  response_format?: ProtoStruct;
  reasoning_effort?: string;
  stream_options?: { include_usage?: boolean };
  encoding_format?: string;
  dimensions?: number;
  extra_params?: ProtoStruct;
}

/** What every request message has. */
export interface GrpcRequestBase {
  model?: string;
  provider?: string;
  params?: GrpcModelParameters;
  fallbacks?: GrpcModelReference[];
}

/** `bifrost.v1.ChatRequest`. */
export interface GrpcChatRequest extends GrpcRequestBase {
  messages?: GrpcChatMessage[];
}

/** `bifrost.v1.TextCompletionRequest`. */
export interface GrpcTextCompletionRequest extends GrpcRequestBase {
  text?: string[];
}

/** `bifrost.v1.EmbeddingRequest`. */
export interface GrpcEmbeddingRequest extends GrpcRequestBase {
  input?: string[];
}

/** `bifrost.v1.ListModelsRequest`. */
export interface GrpcListModelsRequest {
  provider?: string;
}
