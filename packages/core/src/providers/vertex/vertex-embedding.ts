import type { EmbeddingRequest, ProviderName } from '@bifrost/schemas';
import { ignoredParameters } from '../formats/gemini-generate-content/gemini-embedding.js';
import { isRecord } from '../kit/is-record.js';
import { malformedResponseError } from '../kit/malformed-response-error.js';

/**
 * Translates an embedding request into Vertex AI's `:predict` body for text-embedding models:
 * `instances:[{content}]`, `dimensions` as `parameters.outputDimensionality`, `task_type` on each instance.
 */
export function toVertexEmbeddingBody(
  request: EmbeddingRequest,
  provider: ProviderName,
): { body: Record<string, unknown>; warnings: string[] } {
  const params = request.params ?? {};
  const inputs = typeof request.input === 'string' ? [request.input] : request.input;
  const instances = inputs.map((content) =>
    typeof params.task_type === 'string' ? { content, task_type: params.task_type } : { content },
  );
  const body: Record<string, unknown> = { instances };
  if (params.dimensions !== undefined) body.parameters = { outputDimensionality: params.dimensions };
  return { body, warnings: ignoredParameters(params, provider) };
}

/** Reads `predictions[].embeddings.values`, and the token count Vertex reports per input. */
export function readVertexPredictions(
  value: unknown,
  provider: ProviderName,
  model: string,
): { vectors: number[][]; tokens: number | undefined } {
  const predictions = isRecord(value) ? value.predictions : undefined;
  if (!Array.isArray(predictions))
    throw malformedResponseError(provider, model, 'missing "predictions" array');
  let tokens: number | undefined;
  const vectors = predictions.map((prediction) => {
    const embeddings = isRecord(prediction) ? prediction.embeddings : undefined;
    if (!isRecord(embeddings) || !Array.isArray(embeddings.values)) {
      throw malformedResponseError(provider, model, 'a prediction has no "embeddings.values" array');
    }
    const count = isRecord(embeddings.statistics) ? embeddings.statistics.token_count : undefined;
    if (typeof count === 'number') tokens = (tokens ?? 0) + count;
    return embeddings.values as number[];
  });
  return { vectors, tokens };
}
