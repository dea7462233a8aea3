import type { EmbeddingRequest, EmbeddingResponse, ProviderName } from '@bifrost/schemas';
import type { ProviderResult } from '../../provider.js';

/** Parameters the embedding translators understand; anything else is warned about. */
const handledParameters: ReadonlySet<string> = new Set(['dimensions', 'encoding_format', 'task_type']);

/** An embedding request in Gemini's words: which method, and its body. */
export interface GeminiEmbeddingCall {
  method: 'embedContent' | 'batchEmbedContents';
  body: Record<string, unknown>;
  warnings: string[];
}

/**
 * Translates an embedding request: one input goes to `embedContent`, several to `batchEmbedContents` (one
 * request each, naming the model as `models/<id>`); `dimensions` becomes `outputDimensionality`.
 */
export function toGeminiEmbeddingCall(
  request: EmbeddingRequest,
  provider: ProviderName,
): GeminiEmbeddingCall {
  const params = request.params ?? {};
  const options: Record<string, unknown> = {};
  if (typeof params.task_type === 'string') options.taskType = params.task_type;
  if (params.dimensions !== undefined) options.outputDimensionality = params.dimensions;
  const warnings = ignoredParameters(params, provider);
  if (typeof request.input === 'string') {
    return {
      method: 'embedContent',
      body: { content: { parts: [{ text: request.input }] }, ...options },
      warnings,
    };
  }
  const model = `models/${request.model}`;
  const requests = request.input.map((text) => ({ model, content: { parts: [{ text }] }, ...options }));
  return { method: 'batchEmbedContents', body: { requests }, warnings };
}

/** Lists the parameters an embedding translator does not send. */
export function ignoredParameters(params: Record<string, unknown>, provider: ProviderName): string[] {
  const warnings: string[] = [];
  for (const name of Object.keys(params)) {
    if (params[name] !== undefined && !handledParameters.has(name))
      warnings.push(`${provider} ignores ${name}`);
  }
  return warnings;
}

/** Builds OpenAI's embeddings list; `encoding_format: base64` packs each vector as little-endian float32. */
export function toEmbeddingResponse(
  vectors: readonly number[][],
  model: string,
  encodingFormat: unknown,
  warnings: string[],
  promptTokens?: number,
): ProviderResult<EmbeddingResponse> {
  const result: ProviderResult<EmbeddingResponse> = {
    object: 'list',
    model,
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding:
        encodingFormat === 'base64'
          ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
          : vector,
    })),
  };
  if (promptTokens !== undefined) result.usage = { prompt_tokens: promptTokens, total_tokens: promptTokens };
  if (warnings.length > 0) result.extra_fields = { warnings };
  return result;
}
