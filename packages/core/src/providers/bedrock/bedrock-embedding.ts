import type { ModelParameters, ProviderName } from '@bifrost/schemas';
import { isRecord } from '../kit/is-record.js';
import { malformedResponseError } from '../kit/malformed-response-error.js';
import { addWarning } from './convert-to-bedrock-content.js';

/** The embedding model families Bedrock's `InvokeModel` serves with a documented body. */
export type BedrockEmbeddingFamily = 'titan' | 'cohere';

/** Which family a model belongs to, by its name or resolved id; `undefined` for any other model. */
export function embeddingFamilyOf(model: string, modelId: string): BedrockEmbeddingFamily | undefined {
  for (const name of [model, modelId]) {
    if (name.includes('amazon.titan-embed')) return 'titan';
    if (name.includes('cohere.embed')) return 'cohere';
  }
  return undefined;
}

/** Parameters read by the embedding bodies; anything else is warned about. */
const embeddingParameters = new Set(['dimensions', 'normalize', 'encoding_format', 'input_type', 'truncate']);

/** Warns about parameters neither embedding body carries. */
export function warnUnusedEmbeddingParameters(params: ModelParameters, warnings: string[]): void {
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && !embeddingParameters.has(name))
      addWarning(warnings, `bedrock ignores ${name}`);
  }
}

/** `amazon.titan-embed-text-v2:0` body for one input: `dimensions` and `normalize` on v2 only. */
export function titanEmbeddingBody(
  input: string,
  model: string,
  params: ModelParameters,
  warnings: string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = { inputText: input };
  const isV2 = model.includes('titan-embed-text-v2');
  if (params.dimensions !== undefined) {
    if (isV2) body.dimensions = params.dimensions;
    else addWarning(warnings, 'bedrock ignores dimensions for this Titan model');
  }
  if (params.normalize !== undefined) {
    if (isV2) body.normalize = params.normalize;
    else addWarning(warnings, 'bedrock ignores normalize for this Titan model');
  }
  if (params.input_type !== undefined) addWarning(warnings, 'bedrock ignores input_type for Titan models');
  return body;
}

/** Reads Titan's `{embedding, inputTextTokenCount}`. */
export function readTitanEmbedding(
  value: unknown,
  provider: ProviderName,
  model: string,
): { embedding: number[]; tokens: number } {
  if (!isRecord(value) || !Array.isArray(value.embedding)) {
    throw malformedResponseError(provider, model, 'missing "embedding" array');
  }
  return {
    embedding: value.embedding as number[],
    tokens: typeof value.inputTextTokenCount === 'number' ? value.inputTextTokenCount : 0,
  };
}

/** Cohere Embed body: all inputs at once, `input_type` defaulting to `search_document`. */
export function cohereEmbeddingBody(
  inputs: string[],
  model: string,
  params: ModelParameters,
  warnings: string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    texts: inputs,
    input_type: typeof params.input_type === 'string' ? params.input_type : 'search_document',
  };
  if (params.truncate !== undefined) body.truncate = params.truncate;
  if (params.dimensions !== undefined) {
    if (model.includes('embed-v4')) body.output_dimension = params.dimensions;
    else addWarning(warnings, 'bedrock ignores dimensions for this Cohere model');
  }
  if (params.normalize !== undefined) addWarning(warnings, 'bedrock ignores normalize for Cohere models');
  return body;
}

/** Reads Cohere's `embeddings` (floats, or `{float: […]}` when sent by type). */
export function readCohereEmbeddings(value: unknown, provider: ProviderName, model: string): number[][] {
  if (isRecord(value)) {
    const embeddings = value.embeddings;
    if (Array.isArray(embeddings)) return embeddings as number[][];
    if (isRecord(embeddings) && Array.isArray(embeddings.float)) return embeddings.float as number[][];
  }
  throw malformedResponseError(provider, model, 'missing "embeddings" array');
}

/** A vector as OpenAI's `encoding_format: base64` spells it: little-endian float32 bytes. */
export function toBase64Vector(vector: number[]): string {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}
