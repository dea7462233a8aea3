import { isVirtualKeyValue, type RequestOptions } from '@bifrost/core';
import type { ModelInfo } from '@bifrost/schemas';
import type { Hono } from 'hono';
import { invalidRequest } from '../../error-response.js';
import type { HttpContext, HttpEnv } from '../../http-env.js';
import { chatCompletionHandler } from '../../operations/chat-completion-handler.js';
import { embeddingHandler } from '../../operations/embedding-handler.js';
import { listModelsHandler } from '../../operations/list-models-handler.js';
import {
  callOptions,
  jsonAnswer,
  type OperationContext,
  readBody,
} from '../../operations/operation-context.js';
import { dialectHandler } from '../dialect-handler.js';
import { estimatePromptTokens } from '../estimate-prompt-tokens.js';
import { isWireObject } from '../wire-fields.js';
import { chatResponseToGenAI } from './chat-response-to-genai.js';
import { embeddingResponseToGenAI, genAIToEmbeddingRequest } from './genai-embeddings.js';
import { genAIErrorBody } from './genai-error-body.js';
import { GenAISseEncoder } from './genai-sse-encoder.js';
import { genAIToChatRequest } from './genai-to-chat-request.js';

/** `…/models/{model}:{method}`; the model may hold slashes (`openai/gpt-4o-mini`), the method never does. */
function modelAndMethod(c: HttpContext): { model: string; method: string } {
  const path = c.req.path;
  const rest = path.slice(path.indexOf('/models/') + '/models/'.length);
  const colon = rest.lastIndexOf(':');
  if (colon <= 0) throw invalidRequest('the path must end in models/{model}:{method}', 'model');
  return { model: decodedModel(rest.slice(0, colon)), method: rest.slice(colon + 1) };
}

/** The model segment of the path, percent-decoded; a broken escape is the caller's error, not a crash. */
function decodedModel(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidRequest('the model in the path has a malformed percent-escape', 'model');
  }
}

/** The model named in the path, which GenAI's bodies leave out. */
function modelInPath(c: HttpContext): string {
  return modelAndMethod(c).model;
}

/** With direct keys allowed, Google's `?key=` query parameter is a caller's key too. */
function genAICallOptions(c: HttpContext, context: OperationContext): RequestOptions {
  const options = callOptions(c, context);
  const key = c.req.query('key');
  if (!key) return options;
  if (isVirtualKeyValue(key)) {
    if (context.policy.readVirtualKeys && !options.virtualKey) options.virtualKey = key;
  } else if (context.policy.allowDirectKeys && !options.key) {
    options.key = { value: key, models: [], weight: 1 };
  }
  return options;
}

/** Google's model list; Gemini's own models need no prefix on these routes, others keep theirs. */
function genAIModelList(models: ModelInfo[]): Response {
  return jsonAnswer({
    models: models.map((model) => {
      const id = model.id.startsWith('gemini/') ? model.id.slice('gemini/'.length) : model.id;
      return {
        name: `models/${id}`,
        displayName: id,
        supportedGenerationMethods: ['generateContent', 'countTokens'],
      };
    }),
  });
}

/**
 * Google's Generative Language API under `/genai`, for the GenAI SDK with `httpOptions.baseUrl` set to
 * `<gateway>/genai`: `models/{model}:generateContent`, `:streamGenerateContent` (SSE), `:countTokens` (an
 * estimate, see `estimatePromptTokens`), `:embedContent`, `:batchEmbedContents` and `GET models`, under `v1beta`
 * or `v1`. A bare model is Gemini's; `provider/model` goes to that provider and still answers in Gemini's shape.
 */
export function registerGenAIRoutes(app: Hono<HttpEnv>, context: OperationContext): void {
  const handle = (run: (c: HttpContext) => Promise<Response>) =>
    dialectHandler(genAIErrorBody, context.logger, run);
  const embed = (batch: boolean) =>
    embeddingHandler(context, {
      readRequest: (body, c) => genAIToEmbeddingRequest(body, modelInPath(c), batch),
      writeAnswer: (answer) => embeddingResponseToGenAI(answer, batch),
      callOptions: genAICallOptions,
    });

  const methods: Record<string, (c: HttpContext) => Promise<Response>> = {
    generateContent: chatCompletionHandler(context, {
      readRequest: (body, c) => ({ request: genAIToChatRequest(body, modelInPath(c)), stream: false }),
      writeAnswer: chatResponseToGenAI,
      callOptions: genAICallOptions,
    }),
    streamGenerateContent: chatCompletionHandler(context, {
      readRequest: (body, c) => {
        const request = genAIToChatRequest(body, modelInPath(c));
        request.params = { ...request.params, stream_options: { include_usage: true } };
        return { request, stream: true };
      },
      encoder: (request) => new GenAISseEncoder(request.model),
      callOptions: genAICallOptions,
    }),
    countTokens: async (c) => {
      const body = await readBody(c, context);
      // The SDK sends `contents`, or a whole `generateContentRequest` when tools or a system prompt count too.
      const inner =
        isWireObject(body) && isWireObject(body.generateContentRequest) ? body.generateContentRequest : body;
      const request = genAIToChatRequest(inner, modelInPath(c));
      return jsonAnswer({ totalTokens: estimatePromptTokens(request.messages, request.params?.tools) });
    },
    embedContent: embed(false),
    batchEmbedContents: embed(true),
  };

  app.post(
    '/genai/:version/models/*',
    handle(async (c) => {
      const { method } = modelAndMethod(c);
      const run = Object.hasOwn(methods, method) ? methods[method] : undefined;
      if (!run) throw invalidRequest(`unknown method ${JSON.stringify(method)}`, 'method');
      return run(c);
    }),
  );

  app.get(
    '/genai/:version/models',
    handle(listModelsHandler(context, { callOptions: genAICallOptions, respond: genAIModelList })),
  );
}
