import type {
  AssistantMessage,
  ChatResponse,
  ChatStreamChunk,
  EmbeddingResponse,
  ExtraFields,
  ModelInfo,
  TextCompletionResponse,
} from '@bifrost/schemas';
import { jsonToValue } from './struct-value.js';

/**
 * The engine's answers as `bifrost.v1` messages for @grpc/proto-loader to encode. Fields already shaped like the
 * proto pass as they are (the encoder skips `null` and unknown fields); only JSON's unions change shape:
 * string-or-parts content, open-ended values as `google.protobuf.Value`, base64 vectors.
 */
type GrpcObject = Record<string, unknown>;

function extraFields(fields: ExtraFields | undefined): GrpcObject | undefined {
  if (!fields) return undefined;
  const { raw_response: raw, ...rest } = fields;
  return raw === undefined ? rest : { ...rest, raw_response: jsonToValue(raw) };
}

function logprobs(value: unknown): GrpcObject | undefined {
  return value === undefined || value === null ? undefined : (jsonToValue(value) as GrpcObject);
}

function assistantMessage(message: AssistantMessage): GrpcObject {
  const { content, ...rest } = message;
  if (typeof content === 'string') return { ...rest, content };
  if (Array.isArray(content)) return { ...rest, content_parts: content };
  return rest;
}

/** A `bifrost.v1.ChatResponse`. */
export function fromChatResponse(response: ChatResponse): GrpcObject {
  return {
    ...response,
    choices: response.choices.map((choice) => ({
      ...choice,
      message: assistantMessage(choice.message),
      logprobs: logprobs(choice.logprobs),
    })),
    extra_fields: extraFields(response.extra_fields),
  };
}

/** A `bifrost.v1.ChatStreamChunk`. */
export function fromChatStreamChunk(chunk: ChatStreamChunk): GrpcObject {
  return {
    ...chunk,
    choices: chunk.choices.map((choice) =>
      choice.logprobs == null ? choice : { ...choice, logprobs: logprobs(choice.logprobs) },
    ),
    extra_fields: extraFields(chunk.extra_fields),
  };
}

/** A `bifrost.v1.TextCompletionResponse`. */
export function fromTextCompletionResponse(response: TextCompletionResponse): GrpcObject {
  return {
    ...response,
    choices: response.choices.map((choice) => ({ ...choice, logprobs: logprobs(choice.logprobs) })),
    extra_fields: extraFields(response.extra_fields),
  };
}

/** A `bifrost.v1.EmbeddingResponse`; a base64 vector goes in `embedding_base64`. */
export function fromEmbeddingResponse(response: EmbeddingResponse): GrpcObject {
  return {
    ...response,
    data: response.data.map((entry) =>
      typeof entry.embedding === 'string'
        ? { object: entry.object, index: entry.index, embedding_base64: entry.embedding }
        : entry,
    ),
    extra_fields: extraFields(response.extra_fields),
  };
}

/** A `bifrost.v1.ListModelsResponse`. */
export function fromModelList(models: ModelInfo[]): GrpcObject {
  return { object: 'list', data: models };
}
