import type {
  ChatResponse,
  ChatStreamChunk,
  EmbeddingResponse,
  ModelInfo,
  ProviderName,
  TextCompletionResponse,
} from '@bifrost/schemas';
import { errorInSuccessBody } from '../../kit/error-in-success-body.js';
import { malformedResponseError } from '../../kit/malformed-response-error.js';
import type { ProviderResult } from '../../provider.js';
import { errorBodyFromValue } from './openai-error-body.js';

/**
 * Checks that a 2xx body from an OpenAI-compatible provider has the shape its API reference documents, rather
 * than casting it: a 200 carrying an error, or a body of the wrong kind, becomes a precise provider error.
 */
function expectObject(
  value: unknown,
  what: string,
  provider: ProviderName,
  model: string,
): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (record.error !== undefined && record.error !== null) {
      throw errorInSuccessBody(errorBodyFromValue(record), provider, model);
    }
    return record;
  }
  throw malformedResponseError(provider, model, `expected a ${what} object`);
}

/** Validates a chat completion body. */
export function readChatCompletion(
  value: unknown,
  provider: ProviderName,
  model: string,
): ProviderResult<ChatResponse> {
  const body = expectObject(value, 'chat completion', provider, model);
  if (!Array.isArray(body.choices)) throw malformedResponseError(provider, model, 'missing "choices" array');
  for (const choice of body.choices) {
    if (
      typeof choice !== 'object' ||
      choice === null ||
      typeof (choice as { message?: unknown }).message !== 'object'
    ) {
      throw malformedResponseError(provider, model, 'a choice has no "message"');
    }
  }
  return body as unknown as ProviderResult<ChatResponse>;
}

/** Validates a legacy text completion body. */
export function readTextCompletion(
  value: unknown,
  provider: ProviderName,
  model: string,
): ProviderResult<TextCompletionResponse> {
  const body = expectObject(value, 'text completion', provider, model);
  if (!Array.isArray(body.choices)) throw malformedResponseError(provider, model, 'missing "choices" array');
  return body as unknown as ProviderResult<TextCompletionResponse>;
}

/** Validates an embeddings body. */
export function readEmbeddings(
  value: unknown,
  provider: ProviderName,
  model: string,
): ProviderResult<EmbeddingResponse> {
  const body = expectObject(value, 'embeddings list', provider, model);
  if (!Array.isArray(body.data)) throw malformedResponseError(provider, model, 'missing "data" array');
  return body as unknown as ProviderResult<EmbeddingResponse>;
}

/** Validates one streamed chunk; a chunk carrying `error` ends the stream with that error. */
export function readChatChunk(value: unknown, provider: ProviderName, model: string): ChatStreamChunk {
  const body = expectObject(value, 'chat completion chunk', provider, model);
  if (!Array.isArray(body.choices)) {
    // Some servers omit `choices` on the usage-only chunk; normalise to OpenAI's empty array.
    if (body.usage === undefined)
      throw malformedResponseError(provider, model, 'a stream chunk has no "choices"');
    body.choices = [];
  }
  return body as unknown as ChatStreamChunk;
}

/** Validates a model list and prefixes ids with the provider. */
export function readModelList(value: unknown, provider: ProviderName, model: string): ModelInfo[] {
  const body = expectObject(value, 'model list', provider, model);
  const data = Array.isArray(body.data) ? body.data : Array.isArray(body.models) ? body.models : undefined;
  if (!data) throw malformedResponseError(provider, model, 'missing "data" array');
  const models: ModelInfo[] = [];
  for (const entry of data) {
    if (typeof entry !== 'object' || entry === null) continue;
    const record = entry as Record<string, unknown>;
    const id =
      typeof record.id === 'string' ? record.id : typeof record.name === 'string' ? record.name : undefined;
    if (id === undefined) continue;
    models.push({
      id: `${provider}/${id}`,
      object: 'model',
      created: typeof record.created === 'number' ? record.created : 0,
      owned_by: typeof record.owned_by === 'string' ? record.owned_by : provider,
    });
  }
  return models;
}
