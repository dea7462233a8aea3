import type { Plugin } from '@bifrost/schemas';
import type { Hono } from 'hono';
import type { HttpEnv } from '../http-env.js';

/**
 * Mounts each plugin's own `httpRoutes`; a plugin's handler sees the web `Request` and answers in full. The
 * caller's address comes from the socket, never from a header a caller could write, so a plugin can keep a route
 * to loopback callers.
 */
export function registerPluginRoutes(app: Hono<HttpEnv>, plugins: readonly Plugin[]): void {
  for (const plugin of plugins) {
    for (const route of plugin.httpRoutes ?? []) {
      app.on(route.method, route.path, (c) =>
        route.handle(c.req.raw, { remoteAddress: c.env?.incoming?.socket.remoteAddress }),
      );
    }
  }
}
