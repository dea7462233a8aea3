import type { ProviderName } from '@bifrost/schemas';
import type { GatewayError } from '../../errors/gateway-error.js';
import { errorReaderFor } from '../kit/error-reader-for.js';
import { isRecord } from '../kit/is-record.js';
import { type ProviderErrorBody, upstreamError } from '../kit/upstream-error.js';

/**
 * Bedrock's non-2xx answer → GatewayError. The exception name comes from the `x-amzn-errortype` header
 * (`ValidationException:http://internal.amazon.com/...`, namespace dropped) or the body's `__type`, the
 * message from `{"message": …}`; status and `Retry-After` are kept.
 */
export const bedrockErrorFromResponse = errorReaderFor(errorBodyFromValue, {
  adjustBody: (body, headers) => {
    const type = exceptionName(headers['x-amzn-errortype']) ?? body?.type;
    return body === undefined && type === undefined
      ? undefined
      : { message: body?.message ?? type ?? '', type };
  },
});

/** `Foo:namespace` or `namespace#Foo` → `Foo`. */
function exceptionName(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === '') return undefined;
  const colon = value.indexOf(':');
  const name = colon === -1 ? value : value.slice(0, colon);
  const hash = name.lastIndexOf('#');
  return hash === -1 ? name : name.slice(hash + 1);
}

function errorBodyFromValue(value: unknown): ProviderErrorBody | undefined {
  if (!isRecord(value)) return undefined;
  // AWS JSON errors spell the message with either case.
  const message = typeof value.message === 'string' ? value.message : value.Message;
  const type = typeof value.__type === 'string' ? exceptionName(value.__type) : undefined;
  if (typeof message !== 'string') return type === undefined ? undefined : { message: type, type };
  return { message, type };
}

/** HTTP status of each ConverseStream exception event, as the API reference documents them. */
const streamExceptionStatus: Readonly<Record<string, number>> = {
  validationException: 400,
  modelTimeoutException: 408,
  throttlingException: 429,
  modelStreamErrorException: 424,
  internalServerException: 500,
  serviceUnavailableException: 503,
};

/**
 * An exception event in a ConverseStream (`:message-type: exception`, `:exception-type: throttlingException`)
 * → GatewayError with the documented status and the exception's name as the type (`ThrottlingException`).
 */
export function bedrockStreamException(
  exceptionType: string,
  payload: unknown,
  context: { provider: ProviderName; model: string },
): GatewayError {
  const status = streamExceptionStatus[exceptionType] ?? 500;
  const type = exceptionType.charAt(0).toUpperCase() + exceptionType.slice(1);
  const message =
    isRecord(payload) && typeof payload.message === 'string'
      ? payload.message
      : `${context.provider} sent ${type}`;
  return upstreamError(status, {}, { message, type }, context);
}
