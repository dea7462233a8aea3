import type { Hono } from 'hono';
import type { HttpEnv } from '../../http-env.js';
import { chatCompletionHandler } from '../../operations/chat-completion-handler.js';
import type { OperationContext } from '../../operations/operation-context.js';
import { dialectHandler } from '../dialect-handler.js';
import { openAIErrorBody } from '../openai/openai-error-body.js';
import { openAIChatDialect } from '../openai/openai-routes.js';
import { inferLiteLLMProvider } from './infer-litellm-provider.js';

/**
 * LiteLLM-style chat completions under `/litellm`, in OpenAI's shape: the provider is inferred from the model's
 * family name (`claude-3-5-haiku-latest` is Anthropic's) unless the model names it (`groq/llama-3.1-8b-instant`).
 */
export function registerLiteLLMRoutes(app: Hono<HttpEnv>, context: OperationContext): void {
  const chat = dialectHandler(
    openAIErrorBody,
    context.logger,
    chatCompletionHandler(
      context,
      openAIChatDialect((model) => inferLiteLLMProvider(model), 'bare'),
    ),
  );
  app.post('/litellm/chat/completions', chat);
  app.post('/litellm/v1/chat/completions', chat);
}
