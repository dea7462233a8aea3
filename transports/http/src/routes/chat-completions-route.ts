import type { Hono } from 'hono';
import type { HttpEnv } from '../http-env.js';
import { chatCompletionHandler } from '../operations/chat-completion-handler.js';
import type { OperationContext } from '../operations/operation-context.js';
import { normalizeChatRequest } from '../request/normalize-request.js';

/** `POST /v1/chat/completions`: the gateway's own shape (Bifrost's `provider` and `model`), streamed or not. */
export function registerChatCompletionsRoute(app: Hono<HttpEnv>, context: OperationContext): void {
  app.post(
    '/v1/chat/completions',
    chatCompletionHandler(context, { readRequest: normalizeChatRequest, modelRouting: 'bare' }),
  );
}
