import type { Hono } from 'hono';
import type { HttpEnv } from '../http-env.js';
import type { OperationContext } from '../operations/operation-context.js';
import { textCompletionHandler } from '../operations/text-completion-handler.js';
import { normalizeTextCompletionRequest } from '../request/normalize-request.js';

/** `POST /v1/text/completions`, also as `/v1/completions`, OpenAI's name for it. */
export function registerTextCompletionsRoute(app: Hono<HttpEnv>, context: OperationContext): void {
  const handler = textCompletionHandler(context, {
    readRequest: (body) => normalizeTextCompletionRequest(body).request,
    modelRouting: 'bare',
  });
  app.post('/v1/text/completions', handler);
  app.post('/v1/completions', handler);
}
