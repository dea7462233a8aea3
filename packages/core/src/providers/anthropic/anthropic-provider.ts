import type {
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  ModelInfo,
  ProviderConfig,
  TextCompletionRequest,
  TextCompletionResponse,
} from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import type { GatewayError } from '../../errors/gateway-error.js';
import { anthropicVersion } from '../formats/anthropic-messages/anthropic-api.js';
import { anthropicChatStream } from '../formats/anthropic-messages/anthropic-stream.js';
import { fromAnthropicResponse } from '../formats/anthropic-messages/convert-from-anthropic-response.js';
import { toAnthropicRequest } from '../formats/anthropic-messages/convert-to-anthropic-request.js';
import { buildStaticHeaders } from '../kit/build-static-headers.js';
import { ProviderHttpClient } from '../kit/provider-http-client.js';
import { unsupportedOperationError } from '../kit/unsupported-operation-error.js';
import type { Provider, ProviderCallOptions, ProviderResult, ProviderStream } from '../provider.js';
import { type Endpoint, resolveEndpoint } from '../resolve-endpoint.js';
import { anthropicErrorFromResponse } from './anthropic-error.js';
import { readAnthropicModelPage } from './anthropic-models.js';

/** Anthropic's API origin; the provider appends `/v1/messages` and `/v1/models`. */
export const anthropicDefaultBaseUrl = 'https://api.anthropic.com';

/** Headers the caller's `extra_headers` may not replace: the key and the version the translation is written for. */
const reservedHeaders: ReadonlySet<string> = new Set(['x-api-key', 'anthropic-version', 'authorization']);

/** Largest page `/v1/models` serves, so listing takes as few round trips as possible. */
const modelPageSize = 1000;

/**
 * Anthropic's Messages API behind the OpenAI-shaped interface: requests are translated by
 * {@link toAnthropicRequest}, answers by {@link fromAnthropicResponse}, streams by `readAnthropicEvents`.
 */
export class AnthropicProvider implements Provider {
  readonly name = 'anthropic' as const;
  readonly requiresKey = true;
  private readonly http: ProviderHttpClient;
  private readonly messagesEndpoint: Endpoint;
  private readonly modelsEndpoint: Endpoint;
  /** Content type, version and extra headers, computed once; each call appends its key and beta flags. */
  private readonly staticHeaders: readonly string[];

  constructor(config: ProviderConfig, dispatcher: Dispatcher) {
    this.http = new ProviderHttpClient(this.name, config, dispatcher, anthropicErrorFromResponse);
    const baseUrl = config.network_config.base_url ?? anthropicDefaultBaseUrl;
    this.messagesEndpoint = resolveEndpoint(baseUrl, '/v1/messages');
    this.modelsEndpoint = resolveEndpoint(baseUrl, '/v1/models');
    this.staticHeaders = buildStaticHeaders(config.network_config, {
      base: ['content-type', 'application/json', 'anthropic-version', anthropicVersion],
      isReserved: (name) => reservedHeaders.has(name),
    });
  }

  async chatCompletion(
    request: ChatRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<ChatResponse>> {
    const { body, warnings } = toAnthropicRequest(request);
    const parsed = await this.http.sendJson(
      this.messagesRequest(request, JSON.stringify(body), options),
      options,
    );
    const result = fromAnthropicResponse(parsed, this.name, request.model);
    if (warnings.length > 0) {
      result.extra_fields = {
        ...result.extra_fields,
        warnings: [...warnings, ...(result.extra_fields?.warnings ?? [])],
      };
    }
    return this.http.withRaw(result, parsed);
  }

  /** Request warnings cannot travel on a stream (the engine owns the chunks' `extra_fields`), so they are dropped here. */
  async chatCompletionStream(request: ChatRequest, options: ProviderCallOptions): Promise<ProviderStream> {
    const { body } = toAnthropicRequest(request);
    body.stream = true;
    const response = await this.http.send(
      this.messagesRequest(request, JSON.stringify(body), options),
      options,
    );
    return anthropicChatStream(response.body, {
      provider: this.name,
      model: request.model,
      signal: options.signal,
    });
  }

  textCompletion(
    request: TextCompletionRequest,
    _options: ProviderCallOptions,
  ): Promise<ProviderResult<TextCompletionResponse>> {
    return Promise.reject(this.unsupported('text completions', request.model));
  }

  embedding(
    request: EmbeddingRequest,
    _options: ProviderCallOptions,
  ): Promise<ProviderResult<EmbeddingResponse>> {
    return Promise.reject(this.unsupported('embeddings', request.model));
  }

  /** Follows `has_more` / `last_id` until every page is read. */
  async listModels(options: ProviderCallOptions): Promise<ModelInfo[]> {
    const models: ModelInfo[] = [];
    let afterId: string | undefined;
    for (;;) {
      const query = `limit=${modelPageSize}${afterId === undefined ? '' : `&after_id=${encodeURIComponent(afterId)}`}`;
      const endpoint = { origin: this.modelsEndpoint.origin, path: `${this.modelsEndpoint.path}?${query}` };
      const parsed = await this.http.sendJson(
        { endpoint, method: 'GET', headers: this.headers(options, undefined), model: '' },
        options,
      );
      const page = readAnthropicModelPage(parsed, this.name);
      models.push(...page.models);
      if (page.nextAfterId === undefined) return models;
      afterId = page.nextAfterId;
    }
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private messagesRequest(request: ChatRequest, body: string, options: ProviderCallOptions) {
    return {
      endpoint: this.messagesEndpoint,
      headers: this.headers(options, request.params?.anthropic_beta),
      body,
      model: request.model,
    };
  }

  /** `anthropic_beta` (a string or a list) is the one parameter that travels as a header. */
  private headers(options: ProviderCallOptions, beta: unknown): string[] {
    const headers = this.staticHeaders.slice();
    headers.push('x-api-key', options.key.value);
    if (typeof beta === 'string') headers.push('anthropic-beta', beta);
    else if (Array.isArray(beta) && beta.length > 0) headers.push('anthropic-beta', beta.join(','));
    return headers;
  }

  private unsupported(operation: string, model: string): GatewayError {
    return unsupportedOperationError(this.name, operation, model);
  }
}
