import type { EmbeddingRequest, EmbeddingResponse, ModelParameters } from '@bifrost/schemas';
import type { ProviderResult } from '../provider.js';
import type { CohereEmbedResponse } from './cohere-api.js';

/** Parameters the embed translation reads; anything else is reported as ignored. */
const embeddingParameters: ReadonlySet<string> = new Set([
  'input_type',
  'encoding_format',
  'dimensions',
  'truncate',
  'max_tokens',
  'priority',
]);

/**
 * Translates an OpenAI-shaped embedding request into a Cohere `POST /v2/embed` body. Cohere requires an
 * `input_type`; without the caller's, texts are embedded as `search_document`.
 */
export function toCohereEmbedRequest(request: EmbeddingRequest): {
  body: Record<string, unknown>;
  warnings: string[];
} {
  const params: ModelParameters = request.params ?? {};
  const warnings: string[] = [];
  for (const name in params) {
    if (params[name] !== undefined && !embeddingParameters.has(name)) warnings.push(`cohere ignores ${name}`);
  }
  const body: Record<string, unknown> = {
    model: request.model,
    texts: typeof request.input === 'string' ? [request.input] : request.input,
    input_type: typeof params.input_type === 'string' ? params.input_type : 'search_document',
    embedding_types: [params.encoding_format === 'base64' ? 'base64' : 'float'],
  };
  if (params.dimensions !== undefined) body.output_dimension = params.dimensions;
  if (params.truncate !== undefined) body.truncate = params.truncate;
  if (params.max_tokens !== undefined) body.max_tokens = params.max_tokens;
  if (params.priority !== undefined) body.priority = params.priority;
  return { body, warnings };
}

/** Translates a Cohere embed answer into OpenAI's embeddings list, one entry per input text in order. */
export function fromCohereEmbedResponse(
  response: CohereEmbedResponse,
  model: string,
): ProviderResult<EmbeddingResponse> {
  const vectors: readonly (number[] | string)[] =
    response.embeddings.float ?? response.embeddings.base64 ?? [];
  const promptTokens = response.meta?.billed_units?.input_tokens ?? 0;
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}
