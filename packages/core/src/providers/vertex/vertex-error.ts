import { anthropicErrorBodyFromValue } from '../formats/anthropic-messages/anthropic-error-body.js';
import { googleErrorBody } from '../formats/gemini-generate-content/gemini-error-body.js';
import { errorReaderFor } from '../kit/error-reader-for.js';
import { isRecord } from '../kit/is-record.js';
import type { ProviderErrorBody } from '../kit/upstream-error.js';

/**
 * Reads a non-2xx Vertex AI answer. Vertex itself (auth, quota, routing) answers with Google's
 * `{error:{code, message, status}}`; a Claude model's own failure comes in Anthropic's `{type:'error', error}`.
 */
export const vertexErrorFromResponse = errorReaderFor(vertexErrorBody);

function vertexErrorBody(value: unknown): ProviderErrorBody | undefined {
  // Only Anthropic's envelope says `type: "error"`; Google's has no `type` at all.
  return isRecord(value) && value.type === 'error'
    ? anthropicErrorBodyFromValue(value)
    : googleErrorBody(value);
}
