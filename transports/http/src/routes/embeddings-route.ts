import type { Hono } from 'hono';
import type { HttpEnv } from '../http-env.js';
import { embeddingHandler } from '../operations/embedding-handler.js';
import type { OperationContext } from '../operations/operation-context.js';
import { normalizeEmbeddingRequest } from '../request/normalize-request.js';

/** `POST /v1/embeddings`: vectors as the provider returned them. */
export function registerEmbeddingsRoute(app: Hono<HttpEnv>, context: OperationContext): void {
  app.post(
    '/v1/embeddings',
    embeddingHandler(context, {
      readRequest: (body) => normalizeEmbeddingRequest(body).request,
      modelRouting: 'bare',
    }),
  );
}
