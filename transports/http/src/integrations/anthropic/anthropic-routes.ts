import type { Hono } from 'hono';
import type { HttpEnv } from '../../create-http-app.js';
import { dialectHandler } from '../dialect-handler.js';
import { estimatePromptTokens } from '../estimate-prompt-tokens.js';
import {
  callOptions,
  type IntegrationContext,
  type IntegrationRequest,
  jsonAnswer,
  readBody,
  streamAnswer,
} from '../integration-context.js';
import { anthropicErrorBody } from './anthropic-error-body.js';
import { AnthropicSseEncoder } from './anthropic-sse-encoder.js';
import { anthropicToChatRequest } from './anthropic-to-chat-request.js';
import { chatResponseToAnthropic } from './chat-response-to-anthropic.js';

/**
 * Anthropic's Messages API under `/anthropic`, for Anthropic's SDKs with `baseURL` set to `<gateway>/anthropic`:
 * `POST /v1/messages` (streamed or not), `POST /v1/messages/count_tokens` (an estimate, see
 * `estimatePromptTokens`) and `GET /v1/models`. A bare model is Anthropic's; `provider/model` goes to that
 * provider and still answers in Anthropic's shape and event sequence.
 */
export function registerAnthropicRoutes(app: Hono<HttpEnv>, context: IntegrationContext): void {
  const { engine } = context;
  const handle = (run: (c: IntegrationRequest) => Promise<Response>) =>
    dialectHandler(anthropicErrorBody, context.logger, run);

  app.post(
    '/anthropic/v1/messages',
    handle(async (c) => {
      const { request, stream } = anthropicToChatRequest(await readBody(c, context));
      const options = callOptions(c, context);
      if (stream) {
        const chunks = await engine.chatCompletionStream(request, options);
        return streamAnswer(c, context, chunks, new AnthropicSseEncoder(request.model));
      }
      const answer = await engine.chatCompletion(request, options);
      return jsonAnswer(chatResponseToAnthropic(answer), answer.extra_fields.retries);
    }),
  );

  app.post(
    '/anthropic/v1/messages/count_tokens',
    handle(async (c) => {
      const { request } = anthropicToChatRequest(await readBody(c, context), { requireMaxTokens: false });
      return jsonAnswer({ input_tokens: estimatePromptTokens(request.messages, request.params?.tools) });
    }),
  );

  app.get(
    '/anthropic/v1/models',
    handle(async (c) => {
      const models = await engine.listModels(undefined, callOptions(c, context));
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
    }),
  );
}
