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
import { unsupportedOperationError } from '../kit/unsupported-operation-error.js';
import type { Provider, ProviderCallOptions, ProviderResult, ProviderStream } from '../provider.js';
import { type Endpoint, resolveEndpoint } from '../resolve-endpoint.js';
import { readCohereChatResponse, readCohereEmbedResponse, readCohereModels } from './cohere-api.js';
import { fromCohereEmbedResponse, toCohereEmbedRequest } from './cohere-embedding.js';
import { cohereErrorFromResponse } from './cohere-error.js';
import { cohereChatStream } from './cohere-stream.js';
import { fromCohereResponse } from './convert-from-cohere-response.js';
import { toCohereRequest } from './convert-to-cohere-request.js';

/** Cohere's API origin; the provider appends `/v2/chat`, `/v2/embed` and `/v1/models`. */
export const cohereDefaultBaseUrl = 'https://api.cohere.com';

/** What varies between runs, injectable for tests. */
export interface CohereProviderOptions {
  /** Wall clock in milliseconds, for `created` (Cohere's answers carry no timestamp). @default Date.now */
  now?: () => number;
}

/**
 * Cohere's Chat API v2, embeddings and model list, translated to and from OpenAI's shapes. Text completions do
 * not exist in v2 and are refused before anything is sent.
 */
export class CohereProvider implements Provider {
  readonly name: ProviderName = 'cohere';
  readonly requiresKey = true;
  private readonly http: ProviderHttpClient;
  private readonly endpoints: { chat: Endpoint; embed: Endpoint; models: Endpoint };
  /** Content type and extra headers, computed once; each call appends only its authorization. */
  private readonly staticHeaders: readonly string[];
  private readonly now: () => number;

  constructor(config: ProviderConfig, dispatcher: Dispatcher, options: CohereProviderOptions = {}) {
    this.http = new ProviderHttpClient('cohere', config, dispatcher, cohereErrorFromResponse);
    // Chat and embed live under /v2 and the model list under /v1: a base URL ending in either is the origin.
    const baseUrl = (config.network_config.base_url ?? cohereDefaultBaseUrl).replace(/\/v[12]\/*$/, '');
    this.endpoints = {
      chat: resolveEndpoint(baseUrl, '/v2/chat'),
      embed: resolveEndpoint(baseUrl, '/v2/embed'),
      models: resolveEndpoint(baseUrl, '/v1/models'),
    };
    this.staticHeaders = buildStaticHeaders(config.network_config);
    this.now = options.now ?? Date.now;
  }

  async chatCompletion(
    request: ChatRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<ChatResponse>> {
    const { body, warnings } = toCohereRequest(request);
    const parsed = await this.http.sendJson(
      this.upstreamRequest('chat', JSON.stringify(body), request.model, options),
      options,
    );
    const context = { provider: this.name, model: request.model };
    const result = fromCohereResponse(
      readCohereChatResponse(parsed, this.name, request.model),
      context,
      this.nowSeconds(),
    );
    if (warnings.length > 0) result.extra_fields = { warnings };
    return this.http.withRaw(result, parsed);
  }

  async chatCompletionStream(request: ChatRequest, options: ProviderCallOptions): Promise<ProviderStream> {
    const { body } = toCohereRequest(request);
    body.stream = true;
    const response = await this.http.send(
      this.upstreamRequest('chat', JSON.stringify(body), request.model, options),
      options,
    );
    return cohereChatStream(
      response.body,
      { provider: this.name, model: request.model, signal: options.signal },
      this.nowSeconds(),
    );
  }

  async textCompletion(request: TextCompletionRequest): Promise<ProviderResult<TextCompletionResponse>> {
    throw unsupportedOperationError(this.name, 'text completions', request.model);
  }

  async embedding(
    request: EmbeddingRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<EmbeddingResponse>> {
    const { body, warnings } = toCohereEmbedRequest(request);
    const parsed = await this.http.sendJson(
      this.upstreamRequest('embed', JSON.stringify(body), request.model, options),
      options,
    );
    const result = fromCohereEmbedResponse(
      readCohereEmbedResponse(parsed, this.name, request.model),
      request.model,
    );
    if (warnings.length > 0) result.extra_fields = { warnings };
    return this.http.withRaw(result, parsed);
  }

  async listModels(options: ProviderCallOptions): Promise<ModelInfo[]> {
    const request = { ...this.upstreamRequest('models', undefined, '', options), method: 'GET' as const };
    const models = readCohereModels(await this.http.sendJson(request, options), this.name);
    return models.map((model) => ({
      id: `cohere/${model.name}`,
      object: 'model',
      created: 0,
      owned_by: 'cohere',
    }));
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  private upstreamRequest(
    operation: keyof CohereProvider['endpoints'],
    body: string | undefined,
    model: string,
    options: ProviderCallOptions,
  ) {
    const headers = this.staticHeaders.slice();
    headers.push('authorization', `Bearer ${options.key.value}`);
    return { endpoint: this.endpoints[operation], headers, body, model };
  }
}
