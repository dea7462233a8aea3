import { randomUUID } from 'node:crypto';
import type {
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  ModelInfo,
  ProviderConfig,
  ProviderName,
  TextCompletionRequest,
  TextCompletionResponse,
} from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { buildStaticHeaders } from '../kit/build-static-headers.js';
import { ProviderHttpClient } from '../kit/provider-http-client.js';
import type { Provider, ProviderCallOptions, ProviderResult, ProviderStream } from '../provider.js';
import { type Endpoint, resolveEndpoint } from '../resolve-endpoint.js';
import { fromOllamaChatResponse } from './convert-from-ollama-response.js';
import { toOllamaChatRequest } from './convert-to-ollama-request.js';
import {
  ollamaCreatedSeconds,
  readOllamaChatResponse,
  readOllamaEmbedResponse,
  readOllamaGenerateResponse,
  readOllamaModels,
} from './ollama-api.js';
import { fromOllamaEmbedResponse, toOllamaEmbedRequest } from './ollama-embedding.js';
import { ollamaErrorFromResponse } from './ollama-error.js';
import { ollamaChatStream } from './ollama-stream.js';
import { fromOllamaGenerateResponses, toOllamaGenerateRequest } from './ollama-text-completion.js';

/** Where a local Ollama listens. */
export const ollamaDefaultBaseUrl = 'http://localhost:11434';

/** What varies between runs, injectable for tests. */
export interface OllamaProviderOptions {
  /** Wall clock in milliseconds, when an answer has no `created_at`. @default Date.now */
  now?: () => number;
  /** Ids for answers, which Ollama does not number. @default `chatcmpl-` plus a random UUID */
  createId?: () => string;
}

type OllamaOperation = 'chat' | 'generate' | 'embed' | 'models';

/**
 * Ollama's native API: `/api/chat` (NDJSON streaming), `/api/generate` for text completions, `/api/embed` and
 * `/api/tags`, translated to and from OpenAI's shapes. Keyless; a configured key is sent as a bearer token,
 * for an Ollama behind an authenticating proxy.
 */
export class OllamaProvider implements Provider {
  readonly name: ProviderName = 'ollama';
  readonly requiresKey = false;
  private readonly http: ProviderHttpClient;
  private readonly endpoints: Record<OllamaOperation, Endpoint>;
  /** Content type and extra headers, computed once; each call appends only its authorization. */
  private readonly staticHeaders: readonly string[];
  private readonly now: () => number;
  private readonly createId: () => string;

  constructor(config: ProviderConfig, dispatcher: Dispatcher, options: OllamaProviderOptions = {}) {
    this.http = new ProviderHttpClient('ollama', config, dispatcher, ollamaErrorFromResponse);
    const baseUrl = config.network_config.base_url ?? ollamaDefaultBaseUrl;
    this.endpoints = {
      chat: resolveEndpoint(baseUrl, '/api/chat'),
      generate: resolveEndpoint(baseUrl, '/api/generate'),
      embed: resolveEndpoint(baseUrl, '/api/embed'),
      models: resolveEndpoint(baseUrl, '/api/tags'),
    };
    this.staticHeaders = buildStaticHeaders(config.network_config);
    this.now = options.now ?? Date.now;
    this.createId = options.createId ?? (() => `chatcmpl-${randomUUID()}`);
  }

  async chatCompletion(
    request: ChatRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<ChatResponse>> {
    const { body, warnings } = toOllamaChatRequest(request);
    body.stream = false;
    const parsed = await this.postJson('chat', body, request.model, options);
    const response = readOllamaChatResponse(parsed, this.name, request.model);
    const result = fromOllamaChatResponse(
      response,
      { provider: this.name, model: request.model },
      this.createId(),
      ollamaCreatedSeconds(response.created_at, this.nowSeconds()),
    );
    if (warnings.length > 0) result.extra_fields = { warnings };
    return this.http.withRaw(result, parsed);
  }

  async chatCompletionStream(request: ChatRequest, options: ProviderCallOptions): Promise<ProviderStream> {
    const { body } = toOllamaChatRequest(request);
    body.stream = true;
    const response = await this.http.send(
      this.upstreamRequest('chat', JSON.stringify(body), request.model, options),
      options,
    );
    return ollamaChatStream(
      response.body,
      { provider: this.name, model: request.model, signal: options.signal },
      this.createId(),
      this.nowSeconds(),
    );
  }

  /** One `/api/generate` call per prompt (Ollama takes one at a time), answered together in prompt order. */
  async textCompletion(
    request: TextCompletionRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<TextCompletionResponse>> {
    const prompts = typeof request.text === 'string' ? [request.text] : request.text;
    const warnings = new Set<string>();
    const answers = await Promise.all(
      prompts.map(async (prompt) => {
        const translated = toOllamaGenerateRequest(request.model, prompt, request.params ?? {});
        for (const warning of translated.warnings) warnings.add(warning);
        const parsed = await this.postJson('generate', translated.body, request.model, options);
        return { parsed, response: readOllamaGenerateResponse(parsed, this.name, request.model) };
      }),
    );
    const responses = answers.map((answer) => answer.response);
    const result = fromOllamaGenerateResponses(
      responses,
      this.createId(),
      ollamaCreatedSeconds(responses[0]?.created_at, this.nowSeconds()),
      request.model,
    );
    if (warnings.size > 0) result.extra_fields = { warnings: [...warnings] };
    const raw = answers.map((answer) => answer.parsed);
    return this.http.withRaw(result, raw.length === 1 ? raw[0] : raw);
  }

  async embedding(
    request: EmbeddingRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<EmbeddingResponse>> {
    const { body, warnings } = toOllamaEmbedRequest(request);
    const parsed = await this.postJson('embed', body, request.model, options);
    const result = fromOllamaEmbedResponse(
      readOllamaEmbedResponse(parsed, this.name, request.model),
      request.model,
      request.params?.encoding_format,
    );
    if (warnings.length > 0) result.extra_fields = { warnings };
    return this.http.withRaw(result, parsed);
  }

  async listModels(options: ProviderCallOptions): Promise<ModelInfo[]> {
    const request = { ...this.upstreamRequest('models', undefined, '', options), method: 'GET' as const };
    const models = readOllamaModels(await this.http.sendJson(request, options), this.name);
    return models.map((model) => ({
      id: `ollama/${model.name}`,
      object: 'model',
      created: ollamaCreatedSeconds(model.modified_at, 0),
      owned_by: 'ollama',
    }));
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  private postJson(
    operation: OllamaOperation,
    body: Record<string, unknown>,
    model: string,
    options: ProviderCallOptions,
  ): Promise<unknown> {
    return this.http.sendJson(this.upstreamRequest(operation, JSON.stringify(body), model, options), options);
  }

  private upstreamRequest(
    operation: OllamaOperation,
    body: string | undefined,
    model: string,
    options: ProviderCallOptions,
  ) {
    const headers = this.staticHeaders.slice();
    if (options.key.value !== '') headers.push('authorization', `Bearer ${options.key.value}`);
    return { endpoint: this.endpoints[operation], headers, body, model };
  }
}
