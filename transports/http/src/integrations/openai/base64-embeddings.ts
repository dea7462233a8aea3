import type { EmbeddingResponse } from '@bifrost/schemas';

/**
 * Encodes float vectors as base64 little-endian float32, OpenAI's `encoding_format: "base64"`. The OpenAI SDKs
 * ask for base64 by default and decode it themselves, so a provider that only returns floats must still answer
 * in base64. Vectors already in base64 are left as they are.
 */
export function encodeEmbeddingsAsBase64(response: EmbeddingResponse): EmbeddingResponse {
  for (const item of response.data) {
    if (typeof item.embedding === 'string') continue;
    const floats = Float32Array.from(item.embedding);
    item.embedding = Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
  }
  return response;
}
