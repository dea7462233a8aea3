import type { ServerResponse } from 'node:http';
import type { HttpRequestEvent, Logger, Plugin } from '@bifrost/schemas';
import { matchedRoutes } from 'hono/route';
import type { HttpContext } from './http-env.js';
import { nodePluginHeaders, webPluginHeaders } from './request/request-options.js';

/** The route label of a request that matched no route: unknown paths must not each become a label value. */
const unmatchedRoute = 'unmatched';

/**
 * A middleware that tells plugins about each request once its answer is out. Served by Node, it waits for the
 * response to finish and reads the size from what was written (the adapter sets `content-length` on the bodies
 * it sends whole; a stream counts its own bytes), so that measuring never turns the adapter's fast responses into
 * web streams. It reports in `finally`, so an error answer is measured too.
 */
export function observeRequests(observers: readonly Plugin[], logger: Logger | undefined) {
  const report = (event: HttpRequestEvent) => {
    for (const plugin of observers) {
      try {
        plugin.onHttpRequest!(event);
      } catch (error) {
        logger?.error('plugin onHttpRequest failed; skipping it', {
          plugin: plugin.name,
          error: (error as Error).message,
        });
      }
    }
  };
  return async (c: HttpContext, next: () => Promise<void>) => {
    const startedAt = performance.now();
    try {
      await next();
    } finally {
      const route = routeTemplate(c);
      // Everything but the answer's status and size, which are only known once it is out.
      const reportAnswer = (headers: Record<string, string>, status: number, responseBytes: number) =>
        report({
          method: c.req.method,
          route,
          status,
          durationSeconds: (performance.now() - startedAt) / 1000,
          requestBytes: Number(headers['content-length'] ?? 0) || 0,
          responseBytes,
          headers,
        });
      const incoming = c.env?.incoming;
      const outgoing = c.env?.outgoing;
      if (incoming && outgoing) {
        const headers = nodePluginHeaders(incoming.headers);
        const streamedBytes = c.get('responseBytes');
        const finish = () =>
          reportAnswer(
            headers,
            outgoing.statusCode,
            streamedBytes ?? (Number(outgoing.getHeader('content-length') ?? 0) || 0),
          );
        if (outgoing.writableFinished || outgoing.destroyed) finish();
        else onceFinished(outgoing, finish);
      } else {
        const headers = webPluginHeaders(c.req.raw.headers);
        const response = c.res;
        const measured = bodyBytes(response).then((responseBytes) =>
          reportAnswer(headers, response.status, responseBytes),
        );
        // A stream is measured as the client reads it; holding it here would send nothing until it ended.
        if (!response.headers.get('content-type')?.startsWith('text/event-stream')) await measured;
      }
    }
  };
}

/** Calls `done` once, when the response has been handed to the OS or the connection closed first. */
function onceFinished(outgoing: ServerResponse, done: () => void): void {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    outgoing.off('finish', once);
    outgoing.off('close', once);
    done();
  };
  outgoing.on('finish', once);
  outgoing.on('close', once);
}

/** The template of the route that answered (`/v1/chat/completions`), not the raw path. */
function routeTemplate(c: HttpContext): string {
  const routes = matchedRoutes(c);
  // Middleware registers as method ALL; every route that answers has a method of its own.
  for (let index = routes.length - 1; index >= 0; index--) {
    const route = routes[index]!;
    if (route.method !== 'ALL') return route.path;
  }
  return unmatchedRoute;
}

/** Outside Node's adapter (`app.request()`), where there is no socket to count from. */
async function bodyBytes(response: Response): Promise<number> {
  if (response.body === null) return 0;
  const length = response.headers.get('content-length');
  if (length !== null) return Number(length) || 0;
  return (await response.clone().arrayBuffer()).byteLength;
}
