import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';

/** What the Node adapter puts in `c.env`; absent under `app.request()` in tests. */
export type NodeBindings = { incoming?: IncomingMessage; outgoing?: ServerResponse };

/** Per-request values a handler hands to the app's middleware. */
export type HttpVariables = {
  /** Set by a handler that wrote its answer straight to the socket, for `onHttpRequest` plugins. */
  responseBytes?: number;
};

/** The Hono environment of the gateway's app, shared by its own routes and the SDK integrations' routes. */
export type HttpEnv = { Bindings: NodeBindings; Variables: HttpVariables };

/** The Hono context of one request to the gateway's app. */
export type HttpContext = Context<HttpEnv>;
