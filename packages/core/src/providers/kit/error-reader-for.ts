import type { ProviderName } from '@bifrost/schemas';
import type { GatewayError } from '../../errors/gateway-error.js';
import { parseErrorText } from './parse-error-text.js';
import { type ProviderErrorBody, upstreamError } from './upstream-error.js';

/** Response headers as undici hands them over. */
type ResponseHeaders = Record<string, string | string[] | undefined>;

/** What a provider adds to {@link errorReaderFor} when its body alone does not tell the whole story. */
export interface ErrorReaderOptions {
  /** Rewrites the headers before `Retry-After` is read (Azure sends a more precise `retry-after-ms`). */
  adjustHeaders?: (headers: ResponseHeaders) => ResponseHeaders;
  /** Completes the body's parts from the headers (Bedrock names the exception in `x-amzn-errortype`). */
  adjustBody?: (
    body: ProviderErrorBody | undefined,
    headers: ResponseHeaders,
  ) => ProviderErrorBody | undefined;
}

/**
 * The error reader of a provider whose error bodies `fromValue` understands: parse (bounded), then keep status,
 * message and `Retry-After`, with the key redacted.
 */
export function errorReaderFor(
  fromValue: (value: unknown) => ProviderErrorBody | undefined,
  options: ErrorReaderOptions = {},
) {
  const { adjustHeaders, adjustBody } = options;
  return (
    status: number,
    headers: ResponseHeaders,
    bodyText: string,
    context: { provider: ProviderName; model: string },
    secret?: string,
  ): GatewayError => {
    const body = parseErrorText(bodyText, fromValue);
    return upstreamError(
      status,
      adjustHeaders ? adjustHeaders(headers) : headers,
      adjustBody ? adjustBody(body, headers) : body,
      context,
      secret,
    );
  };
}
