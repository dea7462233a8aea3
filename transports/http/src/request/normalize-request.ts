import type {
  ChatRequest,
  EmbeddingRequest,
  ModelParameters,
  ModelReference,
  ProviderName,
  TextCompletionRequest,
} from '@bifrost/schemas';
import {
  isValidationIssue,
  parseFallbacks,
  resolveModelTarget,
  type ValidationIssue,
  validateChatMessages,
  validateEmbeddingInput,
  validateModelParameters,
  validateTextInput,
} from '@bifrost/schemas';
import { invalidRequest } from '../error-response.js';

/** A request the engine can run, and whether the caller asked for a stream. */
export interface NormalizedRequest<Request> {
  request: Request;
  stream: boolean;
}

/** Top-level fields that belong to the gateway's envelope; every other top-level field is a model parameter. */
const envelopeFields = new Set([
  'provider',
  'model',
  'messages',
  'text',
  'prompt',
  'input',
  'params',
  'fallbacks',
  'stream',
]);

type Body = Record<string, unknown>;

/**
 * Accepts both of upstream Bifrost's request shapes:
 * v1.0 `{"provider":"openai","model":"gpt-4o-mini","params":{…},"fallbacks":[{"provider","model"}]}` and
 * v1.1 `{"model":"openai/gpt-4o-mini","temperature":…,"fallbacks":["anthropic/claude-…"]}`.
 * Unknown top-level fields are passed through to the provider as parameters.
 */
function normalizeEnvelope(body: unknown): {
  body: Body;
  provider: ProviderName;
  model: string;
  params: ModelParameters | undefined;
  fallbacks: ModelReference[];
  stream: boolean;
} {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('request body must be a JSON object');
  }
  const record = body as Body;
  const { provider, model } = orThrow(resolveModelTarget(record.model, record.provider));
  const params = readParams(record);
  const fallbacks = orThrow(parseFallbacks(record.fallbacks));
  const stream = record.stream;
  if (stream !== undefined && typeof stream !== 'boolean')
    throw invalidRequest('must be a boolean', 'stream');
  return { body: record, provider, model, params, fallbacks, stream: stream === true };
}

function readParams(body: Body): ModelParameters | undefined {
  let params: ModelParameters | undefined;
  const nested = body.params;
  if (nested !== undefined) {
    if (typeof nested !== 'object' || nested === null || Array.isArray(nested)) {
      throw invalidRequest('must be an object', 'params');
    }
    throwIfInvalid(validateModelParameters(nested as Record<string, unknown>, 'params'));
    params = { ...(nested as ModelParameters) };
  }
  let flat: ModelParameters | undefined;
  for (const name in body) {
    if (envelopeFields.has(name)) continue;
    flat ??= {};
    flat[name] = body[name];
  }
  if (!flat) return params;
  throwIfInvalid(validateModelParameters(flat));
  return params ? Object.assign(params, flat) : flat;
}

/** Throws the issue a validator found, or hands back what it read. */
function orThrow<Value>(result: Value | ValidationIssue): Value {
  if (isValidationIssue(result)) throw invalidRequest(result.message, result.path);
  return result;
}

function throwIfInvalid(issue: ValidationIssue | undefined): void {
  if (issue) throw invalidRequest(issue.message, issue.path);
}

function withOptional<Request extends { params?: ModelParameters; fallbacks?: ModelReference[] }>(
  request: Request,
  params: ModelParameters | undefined,
  fallbacks: ModelReference[],
): Request {
  if (params) request.params = params;
  if (fallbacks.length > 0) request.fallbacks = fallbacks;
  return request;
}

/** Validates and normalises a chat completion body. */
export function normalizeChatRequest(input: unknown): NormalizedRequest<ChatRequest> {
  const { body, provider, model, params, fallbacks, stream } = normalizeEnvelope(input);
  throwIfInvalid(validateChatMessages(body.messages));
  const request = withOptional<ChatRequest>(
    { provider, model, messages: body.messages as ChatRequest['messages'] },
    params,
    fallbacks,
  );
  return { request, stream };
}

/** Validates and normalises a text completion body (`text`, or OpenAI's `prompt`). */
export function normalizeTextCompletionRequest(input: unknown): NormalizedRequest<TextCompletionRequest> {
  const { body, provider, model, params, fallbacks, stream } = normalizeEnvelope(input);
  const field = body.text !== undefined ? 'text' : 'prompt';
  throwIfInvalid(validateTextInput(body[field], field));
  if (stream)
    throw invalidRequest('streaming text completions is not supported; use chat completions', 'stream');
  const request = withOptional<TextCompletionRequest>(
    { provider, model, text: body[field] as string | string[] },
    params,
    fallbacks,
  );
  return { request, stream };
}

/** Validates and normalises an embeddings body. */
export function normalizeEmbeddingRequest(input: unknown): NormalizedRequest<EmbeddingRequest> {
  const { body, provider, model, params, fallbacks, stream } = normalizeEnvelope(input);
  throwIfInvalid(validateEmbeddingInput(body.input, 'input'));
  if (stream) throw invalidRequest('embeddings cannot be streamed', 'stream');
  const request = withOptional<EmbeddingRequest>(
    { provider, model, input: body.input as string | string[] },
    params,
    fallbacks,
  );
  return { request, stream };
}
