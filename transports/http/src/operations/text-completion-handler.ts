import type { TextCompletionRequest, TextCompletionResponse } from '@bifrost/schemas';
import type { HttpContext } from '../http-env.js';
import { jsonOperationHandler } from './json-operation-handler.js';
import type { OperationContext } from './operation-context.js';
import type { OperationDialect } from './operation-dialect.js';

/** A dialect of text completions. */
export type TextCompletionDialect = OperationDialect<TextCompletionRequest, TextCompletionResponse>;

/** The one handler of text completions, behind `/v1/text/completions`, `/v1/completions` and OpenAI's. */
export function textCompletionHandler(
  context: OperationContext,
  dialect: TextCompletionDialect,
): (c: HttpContext) => Promise<Response> {
  return jsonOperationHandler(context, dialect, 'text_completion', (request, options) =>
    context.engine.textCompletion(request, options),
  );
}
