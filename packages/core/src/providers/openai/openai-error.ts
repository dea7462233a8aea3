import { errorBodyFromValue } from '../formats/openai-chat/openai-error-body.js';
import { errorReaderFor } from '../kit/error-reader-for.js';
import { parseErrorText } from '../kit/parse-error-text.js';
import type { ProviderErrorBody } from '../kit/upstream-error.js';

/**
 * Turns a non-2xx answer from an OpenAI-compatible provider into a GatewayError that keeps the provider's
 * status, type, code, param and message, and its `Retry-After`.
 */
export const openAIErrorFromResponse = errorReaderFor(errorBodyFromValue);

/** Reads `{error:{message,type,code,param}}` and the looser shapes some compatible servers send. */
export function parseErrorBody(text: string): ProviderErrorBody | undefined {
  return parseErrorText(text, errorBodyFromValue);
}
