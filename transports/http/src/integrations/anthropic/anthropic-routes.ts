import type { ModelInfo } from '@bifrost/schemas';
import type { Hono } from 'hono';
import type { HttpContext, HttpEnv } from '../../http-env.js';
import { chatCompletionHandler } from '../../operations/chat-completion-handler.js';
import { listModelsHandler } from '../../operations/list-models-handler.js';
import { jsonAnswer, type OperationContext, readBody } from '../../operations/operation-context.js';
import { dialectHandler } from '../dialect-handler.js';
import { estimatePromptTokens } from '../estimate-prompt-tokens.js';
import { anthropicErrorBody } from './anthropic-error-body.js';
import { AnthropicSseEncoder } from './anthropic-sse-encoder.js';
import { anthropicToChatRequest } from './anthropic-to-chat-request.js';
import { chatResponseToAnthropic } from './chat-response-to-anthropic.js';

/** Anthropic's model list, which its SDKs page through by `first_id` and `last_id`. */
function anthropicModelList(models: ModelInfo[]): Response {
  const data = models.map((model) => ({
    type: 'model',
    id: model.id,
    display_name: model.id,
    created_at: new Date(model.created * 1000).toISOString(),
  }));
  return jsonAnswer({
    data,
    has_more: false,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
  });
}

/**
 * Anthropic's Messages API under `/anthropic`, for Anthropic's SDKs with `baseURL` set to `<gateway>/anthropic`:
 * `POST /v1/messages` (streamed or not), `POST /v1/messages/count_tokens` (an estimate, see
 * `estimatePromptTokens`) and `GET /v1/models`. A bare model is Anthropic's; `provider/model` goes to that
 * provider and still answers in Anthropic's shape and event sequence.
 */
export function registerAnthropicRoutes(app: Hono<HttpEnv>, context: OperationContext): void {
  const handle = (run: (c: HttpContext) => Promise<Response>) =>
    dialectHandler(anthropicErrorBody, context.logger, run);

  app.post(
    '/anthropic/v1/messages',
    handle(
      chatCompletionHandler(context, {
        readRequest: (body) => anthropicToChatRequest(body),
        writeAnswer: chatResponseToAnthropic,
        encoder: (request) => new AnthropicSseEncoder(request.model),
        modelRouting: 'with-virtual-key',
      }),
    ),
  );

  app.post(
    '/anthropic/v1/messages/count_tokens',
    handle(async (c) => {
      const { request } = anthropicToChatRequest(await readBody(c, context), { requireMaxTokens: false });
      return jsonAnswer({ input_tokens: estimatePromptTokens(request.messages, request.params?.tools) });
    }),
  );

  app.get('/anthropic/v1/models', handle(listModelsHandler(context, { respond: anthropicModelList })));
}
