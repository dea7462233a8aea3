import type { RequestOptions } from '@bifrost/core';
import type { Hono } from 'hono';
import type { HttpEnv } from '../../create-http-app.js';
import { invalidRequest } from '../../error-response.js';
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
import { isWireObject } from '../wire-fields.js';
import { chatResponseToGenAI } from './chat-response-to-genai.js';
import { embeddingResponseToGenAI, genAIToEmbeddingRequest } from './genai-embeddings.js';
import { genAIErrorBody } from './genai-error-body.js';
import { GenAISseEncoder } from './genai-sse-encoder.js';
import { genAIToChatRequest } from './genai-to-chat-request.js';

/** `…/models/{model}:{method}`; the model may hold slashes (`openai/gpt-4o-mini`), the method never does. */
function modelAndMethod(c: IntegrationRequest): { model: string; method: string } {
  const path = c.req.path;
  const rest = path.slice(path.indexOf('/models/') + '/models/'.length);
  const colon = rest.lastIndexOf(':');
  if (colon <= 0) throw invalidRequest('the path must end in models/{model}:{method}', 'model');
  return { model: decodeURIComponent(rest.slice(0, colon)), method: rest.slice(colon + 1) };
}

/** With direct keys allowed, Google's `?key=` query parameter is a caller's key too. */
function genAICallOptions(c: IntegrationRequest, context: IntegrationContext): RequestOptions {
  const options = callOptions(c, context);
  if (context.policy.allowDirectKeys && !options.key) {
    const key = c.req.query('key');
    if (key) options.key = { value: key, models: [], weight: 1 };
  }
  return options;
}

/**
 * Google's Generative Language API under `/genai`, for the GenAI SDK with `httpOptions.baseUrl` set to
 * `<gateway>/genai`: `models/{model}:generateContent`, `:streamGenerateContent` (SSE), `:countTokens` (an
 * estimate, see `estimatePromptTokens`), `:embedContent`, `:batchEmbedContents` and `GET models`, under `v1beta`
 * or `v1`. A bare model is Gemini's; `provider/model` goes to that provider and still answers in Gemini's shape.
 */
export function registerGenAIRoutes(app: Hono<HttpEnv>, context: IntegrationContext): void {
  const { engine } = context;
  const handle = (run: (c: IntegrationRequest) => Promise<Response>) =>
    dialectHandler(genAIErrorBody, context.logger, run);

  const methods: Record<string, (c: IntegrationRequest, model: string) => Promise<Response>> = {
    generateContent: async (c, model) => {
      const request = genAIToChatRequest(await readBody(c, context), model);
      const answer = await engine.chatCompletion(request, genAICallOptions(c, context));
      return jsonAnswer(chatResponseToGenAI(answer), answer.extra_fields.retries);
    },
    streamGenerateContent: async (c, model) => {
      const request = genAIToChatRequest(await readBody(c, context), model);
      request.params = { ...request.params, stream_options: { include_usage: true } };
      const chunks = await engine.chatCompletionStream(request, genAICallOptions(c, context));
      return streamAnswer(c, context, chunks, new GenAISseEncoder(request.model));
    },
    countTokens: async (c, model) => {
      const body = await readBody(c, context);
      // The SDK sends `contents`, or a whole `generateContentRequest` when tools or a system prompt count too.
      const inner =
        isWireObject(body) && isWireObject(body.generateContentRequest) ? body.generateContentRequest : body;
      const request = genAIToChatRequest(inner, model);
      return jsonAnswer({ totalTokens: estimatePromptTokens(request.messages, request.params?.tools) });
    },
    embedContent: (c, model) => embed(c, model, false),
    batchEmbedContents: (c, model) => embed(c, model, true),
  };

  const embed = async (c: IntegrationRequest, model: string, batch: boolean) => {
    const request = genAIToEmbeddingRequest(await readBody(c, context), model, batch);
    const answer = await engine.embedding(request, genAICallOptions(c, context));
    return jsonAnswer(embeddingResponseToGenAI(answer, batch), answer.extra_fields.retries);
  };

  app.post(
    '/genai/:version/models/*',
    handle(async (c) => {
      const { model, method } = modelAndMethod(c);
      const run = Object.hasOwn(methods, method) ? methods[method] : undefined;
      if (!run) throw invalidRequest(`unknown method ${JSON.stringify(method)}`, 'method');
      return run(c, model);
    }),
  );

  app.get(
    '/genai/:version/models',
    handle(async (c) => {
      const models = await engine.listModels(undefined, genAICallOptions(c, context));
      return jsonAnswer({
        models: models.map((model) => {
          // Gemini's own models need no prefix on these routes; others keep theirs, as requests must name them.
          const id = model.id.startsWith('gemini/') ? model.id.slice('gemini/'.length) : model.id;
          return {
            name: `models/${id}`,
            displayName: id,
            supportedGenerationMethods: ['generateContent', 'countTokens'],
          };
        }),
      });
    }),
  );
}
