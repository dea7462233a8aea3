import type { PluginHttpRoute } from '@bifrost/schemas';
import { badRequest, jsonResponse, toErrorResponse } from './management-error.js';

/** What a management handler gets: the request, its parsed URL and the path's `:name` parameters. */
export interface ManagementRequest {
  request: Request;
  url: URL;
  params: Readonly<Record<string, string>>;
}

/** A handler answers with a body for a 200, or a whole `Response` when it needs another status. */
export type ManagementHandler = (request: ManagementRequest) => Promise<unknown>;

/**
 * Reads `:name` segments of a Hono-style template from a path; the transport already matched the route. A segment
 * that does not decode, or holds a NUL character (which Postgres text refuses), is a 400 rather than a store error.
 */
function pathParams(template: string, pathname: string): Record<string, string> {
  const names = template.split('/');
  const values = pathname.split('/');
  const params: Record<string, string> = {};
  names.forEach((name, index) => {
    if (!name.startsWith(':')) return;
    let value: string;
    try {
      value = decodeURIComponent(values[index] ?? '');
    } catch {
      throw badRequest(`Invalid ${name.slice(1)} in the path: not a valid percent-encoding`);
    }
    if (value.includes('\0'))
      throw badRequest(`Invalid ${name.slice(1)} in the path: NUL characters are not allowed`);
    params[name.slice(1)] = value;
  });
  return params;
}

/** Query values reach the store as text too, so a NUL in any of them is refused up front. */
function checkQuery(url: URL): void {
  for (const [name, value] of url.searchParams) {
    if (value.includes('\0')) throw badRequest(`Invalid ${name} parameter: NUL characters are not allowed`);
  }
}

/**
 * A plugin route whose handler may throw: a `ManagementError` becomes upstream's error envelope with its status,
 * a store outage a 503, and a plain value a 200 JSON answer.
 */
export function managementRoute(
  method: PluginHttpRoute['method'],
  path: string,
  handler: ManagementHandler,
): PluginHttpRoute {
  return {
    method,
    path,
    async handle(request) {
      try {
        const url = new URL(request.url);
        checkQuery(url);
        const body = await handler({ request, url, params: pathParams(path, url.pathname) });
        return body instanceof Response ? body : jsonResponse(body);
      } catch (error) {
        return toErrorResponse(error);
      }
    },
  };
}
