import { GatewayError } from '@bifrost/core';
import type { Hono } from 'hono';
import { errorResponse } from '../error-response.js';
import type { HttpEnv } from '../http-env.js';
import type { OperationContext } from '../operations/operation-context.js';
import { anthropicErrorBody } from './anthropic/anthropic-error-body.js';
import { registerAnthropicRoutes } from './anthropic/anthropic-routes.js';
import type { ErrorBodyWriter } from './dialect-handler.js';
import { genAIErrorBody } from './genai/genai-error-body.js';
import { registerGenAIRoutes } from './genai/genai-routes.js';
import { registerLiteLLMRoutes } from './litellm/litellm-routes.js';
import { openAIErrorBody } from './openai/openai-error-body.js';
import { registerOpenAIRoutes } from './openai/openai-routes.js';

/**
 * Adds the drop-in routes for the official SDKs: point the OpenAI SDK at `/openai/v1`, Anthropic's at
 * `/anthropic`, Google's GenAI at `/genai`, or a LiteLLM-style client at `/litellm`, and change nothing else.
 * Each answers, streams and fails in its own API's dialect.
 */
export function registerIntegrationRoutes(app: Hono<HttpEnv>, context: OperationContext): void {
  registerOpenAIRoutes(app, context);
  registerAnthropicRoutes(app, context);
  registerGenAIRoutes(app, context);
  registerLiteLLMRoutes(app, context);
}

/** Each integration's path prefix and its dialect's error body. */
const dialectsByPrefix: readonly (readonly [string, ErrorBodyWriter])[] = [
  ['/openai/', openAIErrorBody],
  ['/anthropic/', anthropicErrorBody],
  ['/genai/', genAIErrorBody],
  ['/litellm/', openAIErrorBody],
];

/**
 * The 404 for a path under an integration's prefix that no route serves, in that SDK's dialect; `undefined` for
 * other paths. Called from the app's not-found handler, so that no catch-all route is registered.
 */
export function integrationNotFound(method: string, pathname: string): Response | undefined {
  for (const [prefix, toBody] of dialectsByPrefix) {
    if (pathname.startsWith(prefix)) {
      return errorResponse(new GatewayError('not_found', `no route for ${method} ${pathname}`), toBody);
    }
  }
  return undefined;
}
