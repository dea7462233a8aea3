import type { ModelReference } from '@bifrost/schemas';
import type { Hono } from 'hono';
import type { HttpContext, HttpEnv } from '../../http-env.js';
import { type ChatDialect, chatCompletionHandler } from '../../operations/chat-completion-handler.js';
import { type EmbeddingDialect, embeddingHandler } from '../../operations/embedding-handler.js';
import { listModelsHandler, openAIModelList } from '../../operations/list-models-handler.js';
import type { OperationContext } from '../../operations/operation-context.js';
import type { ModelRouting } from '../../operations/route-bare-model.js';
import {
  type TextCompletionDialect,
  textCompletionHandler,
} from '../../operations/text-completion-handler.js';
import {
  normalizeChatRequest,
  normalizeEmbeddingRequest,
  normalizeTextCompletionRequest,
} from '../../request/normalize-request.js';
import { dialectHandler } from '../dialect-handler.js';
import { resolveDialectModel } from '../resolve-dialect-model.js';
import { encodeEmbeddingsAsBase64 } from './base64-embeddings.js';
import { openAIErrorBody } from './openai-error-body.js';
import { openAIIntegrationSseEncoder } from './openai-sse-encoder.js';

/** Picks the provider and model of an OpenAI-shaped body; the Azure-style routes name the model in the path. */
export type OpenAITargetResolver = (model: unknown, c: HttpContext) => ModelReference;

const openAIDefault: OpenAITargetResolver = (model) => resolveDialectModel(model, 'openai');
const azureDeployment: OpenAITargetResolver = (_model, c) =>
  resolveDialectModel(c.req.param('deployment'), 'openai', 'deployment');

/**
 * Points the body at its provider and model, so the gateway's own request normaliser reads it: a caller that set
 * Bifrost's `provider` field keeps it; otherwise the target comes from the model (or the deployment).
 */
function targeted(body: unknown, c: HttpContext, resolve: OpenAITargetResolver): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  if (record.provider !== undefined) return record;
  const target = resolve(record.model, c);
  record.provider = target.provider;
  record.model = target.model;
  return record;
}

/**
 * OpenAI's chat completions: the gateway's own request once targeted, streamed in OpenAI's error dialect.
 * `modelRouting` lets plugins place a bare model before `resolve` does.
 */
export function openAIChatDialect(resolve: OpenAITargetResolver, modelRouting?: ModelRouting): ChatDialect {
  return {
    readRequest: (body, c) => normalizeChatRequest(targeted(body, c, resolve)),
    encoder: () => openAIIntegrationSseEncoder,
    modelRouting,
  };
}

function completionsDialect(
  resolve: OpenAITargetResolver,
  modelRouting?: ModelRouting,
): TextCompletionDialect {
  return {
    readRequest: (body, c) => normalizeTextCompletionRequest(targeted(body, c, resolve)).request,
    modelRouting,
  };
}

function embeddingsDialect(resolve: OpenAITargetResolver, modelRouting?: ModelRouting): EmbeddingDialect {
  return {
    readRequest: (body, c) => normalizeEmbeddingRequest(targeted(body, c, resolve)).request,
    modelRouting,
    writeAnswer: (answer, request) =>
      request.params?.encoding_format === 'base64' ? encodeEmbeddingsAsBase64(answer) : answer,
  };
}

/**
 * OpenAI's API under `/openai`, for the OpenAI SDKs with `baseURL` set to `<gateway>/openai/v1`: chat
 * completions, completions, embeddings and models, each also without the `/v1` segment and, Azure-style, under
 * `/openai/deployments/{deployment}/…` with the deployment as the model. A bare model is OpenAI's;
 * `provider/model` goes to that provider and still answers in OpenAI's shape.
 */
export function registerOpenAIRoutes(app: Hono<HttpEnv>, context: OperationContext): void {
  const handle = (run: (c: HttpContext) => Promise<Response>) =>
    dialectHandler(openAIErrorBody, context.logger, run);
  // A virtual key's bare model goes where its provider weights say; without one, a bare model is OpenAI's.
  const chat = handle(chatCompletionHandler(context, openAIChatDialect(openAIDefault, 'with-virtual-key')));
  const completions = handle(
    textCompletionHandler(context, completionsDialect(openAIDefault, 'with-virtual-key')),
  );
  const embeddings = handle(embeddingHandler(context, embeddingsDialect(openAIDefault, 'with-virtual-key')));
  const models = handle(listModelsHandler(context, { respond: openAIModelList }));
  for (const prefix of ['/openai/v1', '/openai']) {
    app.post(`${prefix}/chat/completions`, chat);
    app.post(`${prefix}/completions`, completions);
    app.post(`${prefix}/embeddings`, embeddings);
    app.get(`${prefix}/models`, models);
  }
  const deployment = '/openai/deployments/:deployment';
  app.post(
    `${deployment}/chat/completions`,
    handle(chatCompletionHandler(context, openAIChatDialect(azureDeployment))),
  );
  app.post(
    `${deployment}/completions`,
    handle(textCompletionHandler(context, completionsDialect(azureDeployment))),
  );
  app.post(`${deployment}/embeddings`, handle(embeddingHandler(context, embeddingsDialect(azureDeployment))));
}
