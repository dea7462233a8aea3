import type { EmbeddingRequest, EmbeddingResponse } from '@bifrost/schemas';
import type { HttpContext } from '../http-env.js';
import { jsonOperationHandler } from './json-operation-handler.js';
import type { OperationContext } from './operation-context.js';
import type { OperationDialect } from './operation-dialect.js';

/** A dialect of embeddings. */
export type EmbeddingDialect = OperationDialect<EmbeddingRequest, EmbeddingResponse>;

/** The one handler of embeddings, behind `/v1/embeddings`, OpenAI's and GenAI's `embedContent` methods. */
export function embeddingHandler(
  context: OperationContext,
  dialect: EmbeddingDialect,
): (c: HttpContext) => Promise<Response> {
  return jsonOperationHandler(context, dialect, 'embedding', (request, options) =>
    context.engine.embedding(request, options),
  );
}
