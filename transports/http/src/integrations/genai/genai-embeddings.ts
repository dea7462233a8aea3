import type { EmbeddingRequest, EmbeddingResponse, ModelParameters } from '@bifrost/schemas';
import { invalidRequest } from '../../error-response.js';
import { resolveDialectModel } from '../resolve-dialect-model.js';
import { isWireObject, optionalNumber, requireArray, requireObject, requireString } from '../wire-fields.js';

/** The text of an `embedContent` request's `content`: its text parts, joined. */
function contentText(value: unknown, path: string): string {
  const content = requireObject(value, path);
  const parts = requireArray(content.parts, `${path}.parts`);
  return parts
    .map((part, index) =>
      requireString(requireObject(part, `${path}.parts[${index}]`).text, `${path}.parts[${index}].text`),
    )
    .join('');
}

function dimensionsOf(body: Record<string, unknown>, path: string, params: ModelParameters): void {
  const dimensions = optionalNumber(body.outputDimensionality, `${path}outputDimensionality`);
  if (dimensions !== undefined) params.dimensions = dimensions;
}

/**
 * Translates `:embedContent` (one `content`) or `:batchEmbedContents` (`requests[]`, which the GenAI SDK always
 * sends) into the engine's embedding request; `outputDimensionality` becomes `dimensions`.
 */
export function genAIToEmbeddingRequest(
  input: unknown,
  modelInPath: string,
  batch: boolean,
): EmbeddingRequest {
  if (!isWireObject(input)) throw invalidRequest('request body must be a JSON object');
  const { provider, model } = resolveDialectModel(modelInPath, 'gemini');
  const params: ModelParameters = {};
  let embeddingInput: string | string[];
  if (batch) {
    const requests = requireArray(input.requests, 'requests');
    if (requests.length === 0) throw invalidRequest('must contain at least one request', 'requests');
    embeddingInput = requests.map((item, index) => {
      const request = requireObject(item, `requests[${index}]`);
      if (index === 0) dimensionsOf(request, 'requests[0].', params);
      return contentText(request.content, `requests[${index}].content`);
    });
  } else {
    dimensionsOf(input, '', params);
    embeddingInput = contentText(input.content, 'content');
  }
  const request: EmbeddingRequest = { provider, model, input: embeddingInput };
  if (Object.keys(params).length > 0) request.params = params;
  return request;
}

/** A vector as numbers; base64 float32 vectors are decoded. */
function values(embedding: number[] | string): number[] {
  if (typeof embedding !== 'string') return embedding;
  // Copied: a decoded Buffer may sit at an offset of the shared pool that float32 cannot be read from.
  const bytes = Uint8Array.from(Buffer.from(embedding, 'base64'));
  return Array.from(new Float32Array(bytes.buffer, 0, bytes.byteLength >> 2));
}

/** The engine's embeddings as `{embedding:{values}}` or, for a batch, `{embeddings:[{values}]}`. */
export function embeddingResponseToGenAI(response: EmbeddingResponse, batch: boolean): unknown {
  const ordered = [...response.data].sort((left, right) => left.index - right.index);
  if (batch) return { embeddings: ordered.map((item) => ({ values: values(item.embedding) })) };
  return { embedding: { values: ordered[0] ? values(ordered[0].embedding) : [] } };
}
