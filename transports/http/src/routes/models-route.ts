import { isProviderName, type ProviderName } from '@bifrost/schemas';
import type { Hono } from 'hono';
import { invalidRequest } from '../error-response.js';
import type { HttpContext, HttpEnv } from '../http-env.js';
import { listModelsHandler, openAIModelList } from '../operations/list-models-handler.js';
import type { OperationContext } from '../operations/operation-context.js';

/** `?provider=` narrows the listing to one provider; an unknown name is a 400 rather than an empty list. */
function providerQuery(c: HttpContext): ProviderName | undefined {
  const provider = c.req.query('provider');
  if (provider !== undefined && !isProviderName(provider)) {
    throw invalidRequest(`unknown provider ${JSON.stringify(provider)}`, 'provider');
  }
  return provider;
}

/** `GET /v1/models`: every configured provider's models, or one provider's with `?provider=`. */
export function registerModelsRoute(app: Hono<HttpEnv>, context: OperationContext): void {
  app.get('/v1/models', listModelsHandler(context, { provider: providerQuery, respond: openAIModelList }));
}
