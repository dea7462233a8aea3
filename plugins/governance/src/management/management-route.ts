import type { PluginHttpRoute } from '@bifrost/schemas';
import { jsonResponse, toErrorResponse } from './management-error.js';

/** What a management handler gets: the request, its parsed URL and the path's `:name` parameters. */
export interface ManagementRequest {
  request: Request;
  url: URL;
  params: Readonly<Record<string, string>>;
}

/** A handler answers with a body for a 200, or a whole `Response` when it needs another status. */
export type ManagementHandler = (request: ManagementRequest) => Promise<unknown>;

/** Reads `:name` segments of a Hono-style template from a path; the transport already matched the route. */
function pathParams(template: string, pathname: string): Record<string, string> {
  const names = template.split('/');
  const values = pathname.split('/');
  const params: Record<string, string> = {};
  names.forEach((name, index) => {
    if (name.startsWith(':')) params[name.slice(1)] = decodeURIComponent(values[index] ?? '');
  });
  return params;
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
        const body = await handler({ request, url, params: pathParams(path, url.pathname) });
        return body instanceof Response ? body : jsonResponse(body);
      } catch (error) {
        return toErrorResponse(error);
      }
    },
  };
}
