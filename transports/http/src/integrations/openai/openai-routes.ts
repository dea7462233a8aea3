import type { ModelReference } from '@bifrost/schemas';
import type { Hono } from 'hono';
import type { HttpEnv } from '../../create-http-app.js';
import { jsonContentType } from '../../error-response.js';
import {
  normalizeChatRequest,
  normalizeEmbeddingRequest,
  normalizeTextCompletionRequest,
} from '../../request/normalize-request.js';
import { dialectHandler } from '../dialect-handler.js';
import {
  callOptions,
  type IntegrationContext,
  type IntegrationRequest,
  jsonAnswer,
  readBody,
  streamAnswer,
} from '../integration-context.js';
import { resolveDialectModel } from '../resolve-dialect-model.js';
import { encodeEmbeddingsAsBase64 } from './base64-embeddings.js';
import { openAIErrorBody } from './openai-error-body.js';
import { openAIIntegrationSseEncoder } from './openai-sse-encoder.js';

/** Picks the provider and model of an OpenAI-shaped body; the Azure-style routes name the model in the path. */
export type OpenAITargetResolver = (model: unknown, c: IntegrationRequest) => ModelReference;

const openAIDefault: OpenAITargetResolver = (model) => resolveDialectModel(model, 'openai');
const azureDeployment: OpenAITargetResolver = (_model, c) =>
  resolveDialectModel(c.req.param('deployment'), 'openai', 'deployment');

type Body = Record<string, unknown>;

/**
 * Points the body at its provider and model, so the gateway's own request normaliser reads it: a caller that set
 * Bifrost's `provider` field keeps it; otherwise the target comes from the model (or the deployment).
 */
function targeted(body: unknown, c: IntegrationRequest, resolve: OpenAITargetResolver): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const record = body as Body;
  if (record.provider !== undefined) return record;
  const target = resolve(record.model, c);
  record.provider = target.provider;
  record.model = target.model;
  return record;
}

/** The chat completions handler of the OpenAI-shaped routes (OpenAI's own and the LiteLLM-style ones). */
export function openAIChatHandler(context: IntegrationContext, resolve: OpenAITargetResolver) {
  const { engine } = context;
  return async (c: IntegrationRequest): Promise<Response> => {
    const body = targeted(await readBody(c, context), c, resolve);
    const { request, stream } = normalizeChatRequest(body);
    const options = callOptions(c, context);
    if (stream) {
      const chunks = await engine.chatCompletionStream(request, options);
      return streamAnswer(c, context, chunks, openAIIntegrationSseEncoder);
    }
    const answer = await engine.chatCompletion(request, options);
    return jsonAnswer(answer, answer.extra_fields.retries);
  };
}

function completionsHandler(context: IntegrationContext, resolve: OpenAITargetResolver) {
  return async (c: IntegrationRequest): Promise<Response> => {
    const { request } = normalizeTextCompletionRequest(targeted(await readBody(c, context), c, resolve));
    const answer = await context.engine.textCompletion(request, callOptions(c, context));
    return jsonAnswer(answer, answer.extra_fields.retries);
  };
}

function embeddingsHandler(context: IntegrationContext, resolve: OpenAITargetResolver) {
  return async (c: IntegrationRequest): Promise<Response> => {
    const { request } = normalizeEmbeddingRequest(targeted(await readBody(c, context), c, resolve));
    const answer = await context.engine.embedding(request, callOptions(c, context));
    if (request.params?.encoding_format === 'base64') encodeEmbeddingsAsBase64(answer);
    return jsonAnswer(answer, answer.extra_fields.retries);
  };
}

function modelsHandler(context: IntegrationContext) {
  return async (c: IntegrationRequest): Promise<Response> => {
    const data = await context.engine.listModels(undefined, callOptions(c, context));
    return new Response(JSON.stringify({ object: 'list', data }), {
      headers: { 'content-type': jsonContentType },
    });
  };
}

/**
 * OpenAI's API under `/openai`, for the OpenAI SDKs with `baseURL` set to `<gateway>/openai/v1`: chat
 * completions, completions, embeddings and models, each also without the `/v1` segment and, Azure-style, under
 * `/openai/deployments/{deployment}/…` with the deployment as the model. A bare model is OpenAI's;
 * `provider/model` goes to that provider and still answers in OpenAI's shape.
 */
export function registerOpenAIRoutes(app: Hono<HttpEnv>, context: IntegrationContext): void {
  const handle = (run: (c: IntegrationRequest) => Promise<Response>) =>
    dialectHandler(openAIErrorBody, context.logger, run);
  const chat = handle(openAIChatHandler(context, openAIDefault));
  const completions = handle(completionsHandler(context, openAIDefault));
  const embeddings = handle(embeddingsHandler(context, openAIDefault));
  const models = handle(modelsHandler(context));
  for (const prefix of ['/openai/v1', '/openai']) {
    app.post(`${prefix}/chat/completions`, chat);
    app.post(`${prefix}/completions`, completions);
    app.post(`${prefix}/embeddings`, embeddings);
    app.get(`${prefix}/models`, models);
  }
  const deployment = '/openai/deployments/:deployment';
  app.post(`${deployment}/chat/completions`, handle(openAIChatHandler(context, azureDeployment)));
  app.post(`${deployment}/completions`, handle(completionsHandler(context, azureDeployment)));
  app.post(`${deployment}/embeddings`, handle(embeddingsHandler(context, azureDeployment)));
}
