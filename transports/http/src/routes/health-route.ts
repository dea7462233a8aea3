import type { Hono } from 'hono';
import { jsonContentType } from '../error-response.js';
import type { HttpEnv } from '../http-env.js';

/** `GET /health`: answers while the process serves, for load balancers and orchestrators. */
export function registerHealthRoute(app: Hono<HttpEnv>): void {
  app.get('/health', () => new Response('{"status":"ok"}', { headers: { 'content-type': jsonContentType } }));
}
