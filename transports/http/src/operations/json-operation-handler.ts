import type { RequestOptions } from '@bifrost/core';
import type { ModelReference, RequestType } from '@bifrost/schemas';
import type { HttpContext } from '../http-env.js';
import { callOptions, jsonAnswer, type OperationContext, readBody } from './operation-context.js';
import type { OperationDialect } from './operation-dialect.js';
import { bareModelRouter, withRoutedFallbacks } from './route-bare-model.js';

/** An engine answer, which counts the retries it took. */
export type EngineAnswer = { extra_fields: { retries?: number } };

/**
 * The route handler of an operation answered with one JSON body: read the body, translate it in, `run` it on the
 * engine, translate the answer out, with the engine's retry count in `x-bf-retries`. Failures are thrown, for the
 * app's error handler or a dialect's to answer.
 */
export function jsonOperationHandler<
  Request extends { fallbacks?: ModelReference[] },
  Answer extends EngineAnswer,
>(
  context: OperationContext,
  dialect: OperationDialect<Request, Answer>,
  requestType: RequestType,
  run: (request: Request, options: RequestOptions) => Promise<Answer>,
): (c: HttpContext) => Promise<Response> {
  const optionsOf = dialect.callOptions ?? callOptions;
  const routeModel = bareModelRouter(context.engine, dialect.modelRouting);
  return async (c) => {
    const body = await readBody(c, context);
    const options = optionsOf(c, context);
    const fallbacks = routeModel?.(body, options, requestType);
    const request = dialect.readRequest(body, c);
    withRoutedFallbacks(request, fallbacks);
    const answer = await run(request, options);
    return jsonAnswer(writeAnswer(dialect, answer, request), answer.extra_fields.retries);
  };
}

/** The answer in the dialect's shape, or as it is when the dialect keeps the engine's. */
export function writeAnswer<Request, Answer>(
  dialect: OperationDialect<Request, Answer>,
  answer: Answer,
  request: Request,
): unknown {
  return dialect.writeAnswer ? dialect.writeAnswer(answer, request) : answer;
}
