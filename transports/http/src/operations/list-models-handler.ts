import type { RequestOptions } from '@bifrost/core';
import type { ModelInfo, ProviderName } from '@bifrost/schemas';
import { jsonContentType } from '../error-response.js';
import type { HttpContext } from '../http-env.js';
import { callOptions, type OperationContext } from './operation-context.js';

/** A dialect of the model listing. */
export interface ListModelsDialect {
  /** The one provider whose models are asked for, read (and validated) from the request. @default every provider */
  provider?(c: HttpContext): ProviderName | undefined;
  /** The engine options of one request. @default {@link callOptions} */
  callOptions?(c: HttpContext, context: OperationContext): RequestOptions;
  /** The answer in the caller's shape. */
  respond(models: ModelInfo[]): Response;
}

/** The one handler of the model listing, behind `/v1/models` and every SDK prefix's models route. */
export function listModelsHandler(
  context: OperationContext,
  dialect: ListModelsDialect,
): (c: HttpContext) => Promise<Response> {
  const optionsOf = dialect.callOptions ?? callOptions;
  return async (c) => {
    const provider = dialect.provider?.(c);
    return dialect.respond(await context.engine.listModels(provider, optionsOf(c, context)));
  };
}

/** OpenAI's model list, `{object:"list",data}`, as the gateway's own route and OpenAI's answer it. */
export function openAIModelList(models: ModelInfo[]): Response {
  return new Response(JSON.stringify({ object: 'list', data: models }), {
    headers: { 'content-type': jsonContentType },
  });
}
