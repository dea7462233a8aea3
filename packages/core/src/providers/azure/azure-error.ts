import { errorBodyFromValue } from '../formats/openai-chat/openai-error-body.js';
import { errorReaderFor } from '../kit/error-reader-for.js';
import { parseErrorText } from '../kit/parse-error-text.js';
import type { ProviderErrorBody } from '../kit/upstream-error.js';

/**
 * Turns a non-2xx answer from Azure OpenAI into a GatewayError. The body is OpenAI's envelope; Azure adds
 * `innererror` (a content-filter block says `ResponsibleAIPolicyViolation` there, kept as the type since Azure
 * leaves `type` null) and sends its wait as `retry-after-ms` as well as `retry-after`.
 */
export const azureErrorFromResponse = errorReaderFor(azureErrorBodyFromValue, {
  adjustHeaders: withRetryAfterSeconds,
});

/** Reads Azure's error envelope; `innererror.code` stands in for the missing `type`. */
export function parseAzureErrorBody(text: string): ProviderErrorBody | undefined {
  return parseErrorText(text, azureErrorBodyFromValue);
}

function azureErrorBodyFromValue(value: unknown): ProviderErrorBody | undefined {
  const body = errorBodyFromValue(value);
  if (body === undefined || body.type !== undefined) return body;
  const innerCode = innerErrorCode(value);
  return innerCode === undefined ? body : { ...body, type: innerCode };
}

function innerErrorCode(value: unknown): string | undefined {
  const error = (value as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const inner = (error as { innererror?: unknown }).innererror;
  if (typeof inner !== 'object' || inner === null) return undefined;
  const code = (inner as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** `retry-after-ms` is the more precise of Azure's two headers; expressed in seconds so the shared reader takes it. */
function withRetryAfterSeconds(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[] | undefined> {
  const milliseconds = headers['retry-after-ms'];
  const value = Array.isArray(milliseconds) ? milliseconds[0] : milliseconds;
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value.trim())) return headers;
  return { ...headers, 'retry-after': String(Number(value) / 1000) };
}
