import { GatewayError } from '@bifrost/core';
import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  EmbeddingRequest,
  ModelParameters,
  ModelReference,
  ProviderName,
  TextCompletionRequest,
  ToolCall,
  ValidationIssue,
} from '@bifrost/schemas';
import {
  isProviderName,
  isValidationIssue,
  parseFallbacks,
  resolveModelTarget,
  validateChatMessages,
  validateEmbeddingInput,
  validateModelParameters,
  validateTextInput,
} from '@bifrost/schemas';
import type {
  GrpcChatMessage,
  GrpcChatRequest,
  GrpcContentPart,
  GrpcEmbeddingRequest,
  GrpcListModelsRequest,
  GrpcModelParameters,
  GrpcModelReference,
  GrpcRequestBase,
  GrpcTextCompletionRequest,
} from './grpc-request.js';
import { structToJson, valueToJson } from './struct-value.js';

/** An `invalid_request` error naming the field at fault, worded as the HTTP transport words it. */
export function invalidArgument(message: string, param: string): GatewayError {
  return new GatewayError('invalid_request', `${param}: ${message}`, { param });
}

function throwIfInvalid(issue: ValidationIssue | undefined): void {
  if (issue) throw invalidArgument(issue.message, issue.path);
}

/** Throws the issue a validator found, or hands back what it read. */
function orThrow<Value>(result: Value | ValidationIssue): Value {
  if (isValidationIssue(result)) throw invalidArgument(result.message, result.path);
  return result;
}

/** The provider and model a request targets, from `model` alone or with `provider`. */
function readTarget(message: GrpcRequestBase): ModelReference {
  return orThrow(resolveModelTarget(message.model, message.provider));
}

/**
 * proto3 cannot tell an empty `ModelReference.provider` from an unset one, so an empty one reads as unset and the
 * entry's `model` must then be "provider/model".
 */
function readFallbacks(fallbacks: GrpcModelReference[] | undefined): ModelReference[] {
  const entries = fallbacks?.map(({ provider, model }) => (provider ? { provider, model } : { model }));
  return orThrow(parseFallbacks(entries));
}

/** Scalars copied as they are: proto3 `optional` keeps "unset" apart from zero, so presence is the caller's. */
const scalarParameters = [
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'presence_penalty',
  'frequency_penalty',
  'logprobs',
  'top_logprobs',
  'n',
  'seed',
  'user',
  'parallel_tool_calls',
  'reasoning_effort',
  'stream_options',
  'encoding_format',
  'dimensions',
] as const;

/** Turns `params` into the engine's parameters and checks them; `extra_params` become top-level fields. */
export function readParams(params: GrpcModelParameters | undefined): ModelParameters | undefined {
  if (!params) return undefined;
  const result: ModelParameters = params.extra_params ? structToJson(params.extra_params) : {};
  const untyped = result as Record<string, unknown>;
  for (const name of scalarParameters) {
    if (params[name] !== undefined) untyped[name] = params[name];
  }
  if (params.stop && params.stop.length > 0)
    result.stop = params.stop.length === 1 ? params.stop[0] : params.stop;
  if (params.logit_bias && Object.keys(params.logit_bias).length > 0) result.logit_bias = params.logit_bias;
  if (params.tools && params.tools.length > 0) {
    result.tools = params.tools.map((tool) => {
      const fn = tool.function ?? {};
      const converted: Record<string, unknown> = { name: fn.name };
      if (fn.description !== undefined) converted.description = fn.description;
      if (fn.parameters !== undefined) converted.parameters = structToJson(fn.parameters);
      if (fn.strict !== undefined) converted.strict = fn.strict;
      return { type: (tool.type || 'function') as 'function', function: converted as { name: string } };
    });
  }
  if (params.tool_choice !== undefined)
    result.tool_choice = valueToJson(params.tool_choice) as ModelParameters['tool_choice'];
  if (params.response_format !== undefined) {
    result.response_format = structToJson(
      params.response_format,
    ) as unknown as ModelParameters['response_format'];
  }
  throwIfInvalid(validateModelParameters(result, 'params'));
  return Object.keys(result).length > 0 ? result : undefined;
}

function inferPartType(part: GrpcContentPart): string | undefined {
  if (part.type) return part.type;
  if (part.text !== undefined) return 'text';
  if (part.image_url) return 'image_url';
  if (part.input_audio) return 'input_audio';
  if (part.file) return 'file';
  return undefined;
}

function toContentPart(part: GrpcContentPart): ContentPart {
  const type = inferPartType(part);
  // The shape is checked by validateChatMessages; unset members stay absent so its messages name them.
  const converted: Record<string, unknown> = { type };
  if (type === 'text') converted.text = part.text;
  else if (type === 'image_url') converted.image_url = part.image_url;
  else if (type === 'input_audio') converted.input_audio = part.input_audio;
  else if (type === 'file') converted.file = part.file;
  return converted as unknown as ContentPart;
}

function toChatMessage(message: GrpcChatMessage): ChatMessage {
  const converted: Record<string, unknown> = { role: message.role ?? '' };
  if (message.content !== undefined) converted.content = message.content;
  else if (message.content_parts && message.content_parts.length > 0) {
    converted.content = message.content_parts.map(toContentPart);
  }
  if (message.name !== undefined) converted.name = message.name;
  if (message.tool_call_id !== undefined) converted.tool_call_id = message.tool_call_id;
  if (message.tool_calls && message.tool_calls.length > 0) {
    converted.tool_calls = message.tool_calls.map(
      (call): ToolCall => ({
        id: call.id as string,
        type: 'function',
        function: { name: call.function?.name as string, arguments: call.function?.arguments ?? '' },
      }),
    );
  }
  if (message.refusal !== undefined) converted.refusal = message.refusal;
  if (message.reasoning !== undefined) converted.reasoning = message.reasoning;
  return converted as unknown as ChatMessage;
}

/** The validators name JSON's `content[i]`; on the wire the parts are `content_parts[i]`. */
function inProtoTerms(issue: ValidationIssue | undefined): ValidationIssue | undefined {
  if (!issue) return undefined;
  return { ...issue, path: issue.path.replace(/^(messages\[\d+\])\.content\[/, '$1.content_parts[') };
}

function withOptional<Request extends { params?: ModelParameters; fallbacks?: ModelReference[] }>(
  request: Request,
  message: GrpcRequestBase,
): Request {
  const params = readParams(message.params);
  const fallbacks = readFallbacks(message.fallbacks);
  if (params) request.params = params;
  if (fallbacks.length > 0) request.fallbacks = fallbacks;
  return request;
}

/** Validates a `bifrost.v1.ChatRequest` and turns it into the engine's request. */
export function toChatRequest(message: GrpcChatRequest): ChatRequest {
  const target = readTarget(message);
  const messages = (message.messages ?? []).map(toChatMessage);
  throwIfInvalid(inProtoTerms(validateChatMessages(messages)));
  return withOptional<ChatRequest>({ ...target, messages }, message);
}

/** One string stays a string upstream; several stay an array. */
function oneOrMany(values: string[] | undefined): string | string[] | undefined {
  if (!values || values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}

/** Validates a `bifrost.v1.TextCompletionRequest` and turns it into the engine's request. */
export function toTextCompletionRequest(message: GrpcTextCompletionRequest): TextCompletionRequest {
  const target = readTarget(message);
  const text = oneOrMany(message.text);
  throwIfInvalid(validateTextInput(text, 'text'));
  return withOptional<TextCompletionRequest>({ ...target, text: text as string | string[] }, message);
}

/** Validates a `bifrost.v1.EmbeddingRequest` and turns it into the engine's request. */
export function toEmbeddingRequest(message: GrpcEmbeddingRequest): EmbeddingRequest {
  const target = readTarget(message);
  const input = oneOrMany(message.input);
  throwIfInvalid(validateEmbeddingInput(input, 'input'));
  return withOptional<EmbeddingRequest>({ ...target, input: input as string | string[] }, message);
}

/** The provider a `bifrost.v1.ListModelsRequest` asks about, if any. */
export function toListModelsProvider(message: GrpcListModelsRequest): ProviderName | undefined {
  const provider = message.provider;
  if (provider === undefined || provider === '') return undefined;
  if (!isProviderName(provider))
    throw invalidArgument(`unknown provider ${JSON.stringify(provider)}`, 'provider');
  return provider;
}
