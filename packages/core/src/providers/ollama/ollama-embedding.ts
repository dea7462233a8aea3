import type { EmbeddingRequest, EmbeddingResponse, ModelParameters } from '@bifrost/schemas';
import type { ProviderResult } from '../provider.js';
import type { OllamaEmbedResponse } from './ollama-api.js';

/** Ollama's own embed fields, sent as they are; `encoding_format` is honoured on the way back. */
const passedThrough: ReadonlySet<string> = new Set(['dimensions', 'truncate', 'keep_alive', 'options']);

/** Translates an OpenAI-shaped embedding request into an Ollama `POST /api/embed` body. */
export function toOllamaEmbedRequest(request: EmbeddingRequest): {
  body: Record<string, unknown>;
  warnings: string[];
} {
  const params: ModelParameters = request.params ?? {};
  const warnings: string[] = [];
  const body: Record<string, unknown> = { model: request.model, input: request.input };
  for (const name in params) {
    const value = params[name];
    if (value === undefined) continue;
    if (passedThrough.has(name)) body[name] = value;
    else if (name !== 'encoding_format') warnings.push(`ollama ignores ${name}`);
  }
  return { body, warnings };
}

/**
 * Translates an Ollama embed answer into OpenAI's embeddings list. Ollama returns floats only; for
 * `encoding_format: base64` they are packed as little-endian float32, which is what OpenAI sends.
 */
export function fromOllamaEmbedResponse(
  response: OllamaEmbedResponse,
  model: string,
  encodingFormat: unknown,
): ProviderResult<EmbeddingResponse> {
  const promptTokens = response.prompt_eval_count ?? 0;
  return {
    object: 'list',
    data: response.embeddings.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: encodingFormat === 'base64' ? float32Base64(vector) : vector,
    })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

function float32Base64(vector: readonly number[]): string {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}
