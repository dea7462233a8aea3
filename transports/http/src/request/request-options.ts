import type { RequestOptions } from '@bifrost/core';
import type { Key } from '@bifrost/schemas';

/** Headers never handed to plugins: they carry credentials. */
const secretHeaders = new Set([
  'authorization',
  'x-api-key',
  'x-goog-api-key',
  'api-key',
  'cookie',
  'proxy-authorization',
]);

/** How the HTTP layer turns an incoming request into the engine's per-call options. */
export interface RequestOptionsPolicy {
  /** Hand incoming headers to plugins; off when no plugin is loaded, to save the copy. */
  forwardHeaders: boolean;
  /** Use the caller's own `Authorization: Bearer` / `x-api-key` as the provider key. */
  allowDirectKeys: boolean;
}

/** Builds the engine options for one request: cancellation, headers for plugins, and a direct key if allowed. */
export function requestOptions(request: Request, policy: RequestOptionsPolicy): RequestOptions {
  const options: RequestOptions = { signal: request.signal };
  if (policy.forwardHeaders) {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      if (!secretHeaders.has(name)) headers[name] = value;
    });
    options.headers = headers;
  }
  if (policy.allowDirectKeys) {
    const key = directKey(request.headers);
    if (key) options.key = key;
  }
  return options;
}

function directKey(headers: Headers): Key | undefined {
  const authorization = headers.get('authorization');
  const value =
    authorization?.toLowerCase().startsWith('bearer ') === true
      ? authorization.slice(7).trim()
      : (headers.get('x-api-key') ?? undefined);
  return value ? { value, models: [], weight: 1 } : undefined;
}
