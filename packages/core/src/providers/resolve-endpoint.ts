/** An upstream endpoint split the way undici wants it. */
export interface Endpoint {
  /** `https://api.openai.com` */
  origin: string;
  /** `/v1/chat/completions` */
  path: string;
}

/**
 * Joins a configured base URL and a provider path without doubling the version segment, as upstream Bifrost
 * does: `https://api.openai.com` and `https://api.openai.com/v1` both give `https://api.openai.com/v1/chat/completions`.
 * A base URL with a path prefix (`https://example.com/openai`) keeps it.
 */
export function resolveEndpoint(baseUrl: string, path: string): Endpoint {
  const url = new URL(baseUrl);
  let prefix = url.pathname.replace(/\/+$/, '');
  const secondSlash = path.indexOf('/', 1);
  // A one-segment path has no version segment to de-duplicate.
  const firstSegment = secondSlash === -1 ? '' : path.slice(0, secondSlash);
  if (firstSegment.length > 1 && prefix.endsWith(firstSegment)) {
    prefix = prefix.slice(0, -firstSegment.length);
  }
  return { origin: url.origin, path: `${prefix}${path}${url.search}` };
}
