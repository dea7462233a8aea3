import { googleErrorBody } from '../formats/gemini-generate-content/gemini-error-body.js';
import { errorReaderFor } from '../kit/error-reader-for.js';

/**
 * Turns a non-2xx answer from Gemini or Vertex AI (`{error:{code, message, status, details}}`) into a
 * GatewayError: the HTTP status stays, `status` (`RESOURCE_EXHAUSTED`) becomes the type, and the `reason` of an
 * `ErrorInfo` detail (`API_KEY_INVALID`) the code.
 */
export const geminiErrorFromResponse = errorReaderFor(googleErrorBody);
