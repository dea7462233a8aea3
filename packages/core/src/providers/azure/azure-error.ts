import type { ProviderName } from '@bifrost/schemas';
import type { GatewayError } from '../../errors/gateway-error.js';
import { errorBodyFromValue } from '../openai/openai-error.js';
import { type ProviderErrorBody, parseErrorText, upstreamError } from '../shared/upstream-error.js';

/**
 * Turns a non-2xx answer from Azure OpenAI into a GatewayError. The body is OpenAI's envelope; Azure adds
 * `innererror` (a content-filter block says `ResponsibleAIPolicyViolation` there, kept as the type since Azure
 * leaves `type` null) and sends its wait as `retry-after-ms` as well as `retry-after`.
 */
export function azureErrorFromResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  bodyText: string,
  context: { provider: ProviderName; model: string },
  secret?: string,
): GatewayError {
  return upstreamError(
    status,
    withRetryAfterSeconds(headers),
    parseAzureErrorBody(bodyText),
    context,
    secret,
  );
}

/** Reads Azure's error envelope; `innererror.code` stands in for the missing `type`. */
export function parseAzureErrorBody(text: string): ProviderErrorBody | undefined {
  return parseErrorText(text, (value) => {
    const body = errorBodyFromValue(value);
    if (body === undefined || body.type !== undefined) return body;
    const innerCode = innerErrorCode(value);
    return innerCode === undefined ? body : { ...body, type: innerCode };
  });
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
