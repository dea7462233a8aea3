import type { ProviderName } from '@bifrost/schemas';
import { GatewayError } from '../../errors/gateway-error.js';

/**
 * Percent-encodes a caller-supplied value (model id, deployment name, Bedrock ARN) as exactly one URL path segment,
 * so it can neither leave the path it is put under nor add a query string. `/`, `:`, `?`, `#` and `%` are
 * encoded (the AWS SDK encodes ARNs the same way); `@` stays as it is, being legal in a segment and part of
 * Vertex's versioned model names. An empty value, a `.` or `..` (also as part of a `/`-separated value, since some
 * servers decode `%2F` before routing), a control character or a lone surrogate is refused with a 400 naming
 * `model`, before the request carries the gateway's key anywhere.
 * @example
 * `/v1beta/models/${encodePathSegment(request.model, { provider: 'gemini', model: request.model })}:generateContent`
 */
export function encodePathSegment(value: string, context: { provider: ProviderName; model: string }): string {
  const refuse = (problem: string) =>
    new GatewayError(
      'invalid_request',
      `model ${problem}, so it cannot be put in ${context.provider}'s URL`,
      {
        ...context,
        param: 'model',
      },
    );
  if (value === '') throw refuse('is empty');
  if (value.split(/[/\\]/).some((part) => part === '.' || part === '..')) {
    throw refuse('has a "." or ".." segment');
  }
  if (hasControlCharacter(value)) throw refuse('has a control character');
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    // URIError: a lone surrogate has no UTF-8 form.
    throw refuse('is not well-formed Unicode');
  }
  return encoded.replaceAll('%40', '@');
}

/** C0 controls and DEL: never part of a model or deployment name, and some servers treat them as separators. */
function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
