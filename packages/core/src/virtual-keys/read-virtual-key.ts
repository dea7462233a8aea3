/** The prefix of a virtual key's value, compared case-insensitively as upstream Bifrost does. */
const virtualKeyPrefix = 'sk-bf-';

/** Reads one request header, lower-cased name in, first value out. */
export type HeaderReader = (name: string) => string | undefined;

/**
 * The virtual key a request carries, where upstream Bifrost looks for one: `x-bf-vk` with any value, else an
 * `sk-bf-…` value in `Authorization: Bearer`, `x-api-key` (Anthropic's SDK), `x-goog-api-key` (Google's) or
 * `api-key` (Azure's), so each official SDK can use a virtual key as its API key unchanged.
 */
export function readVirtualKey(header: HeaderReader): string | undefined {
  const explicit = header('x-bf-vk')?.trim();
  if (explicit) return explicit;
  const authorization = header('authorization');
  if (authorization !== undefined && authorization.length > 7 && /^bearer /i.test(authorization)) {
    const token = authorization.slice(7).trim();
    if (isVirtualKeyValue(token)) return token;
  }
  for (const name of ['x-api-key', 'x-goog-api-key', 'api-key']) {
    const value = header(name)?.trim();
    if (value !== undefined && isVirtualKeyValue(value)) return value;
  }
  return undefined;
}

/** Whether a credential is a virtual key rather than a provider's key. */
export function isVirtualKeyValue(value: string): boolean {
  return value.length > virtualKeyPrefix.length && value.slice(0, 6).toLowerCase() === virtualKeyPrefix;
}
