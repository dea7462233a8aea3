import type {
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  ModelInfo,
  ProviderConfig,
  TextCompletionResponse,
} from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { readEmbeddings, readModelList } from '../formats/openai-chat/openai-api.js';
import { buildStaticHeaders } from '../kit/build-static-headers.js';
import { ProviderHttpClient, type UpstreamRequest } from '../kit/provider-http-client.js';
import { unsupportedOperationError } from '../kit/unsupported-operation-error.js';
import type { Provider, ProviderCallOptions, ProviderResult, ProviderStream } from '../provider.js';
import { type Endpoint, resolveEndpoint } from '../resolve-endpoint.js';
import { fromMistralChatCompletion } from './convert-from-mistral-response.js';
import { toMistralChatBody, toMistralEmbeddingBody } from './convert-to-mistral-request.js';
import { mistralErrorFromResponse } from './mistral-error.js';
import { mistralChatStream } from './mistral-stream.js';

type MistralOperation = 'chat' | 'embedding' | 'models';

/** Mistral's API origin; the provider appends `/v1/...`. */
export const mistralDefaultBaseUrl = 'https://api.mistral.ai';

/**
 * Mistral's chat, embeddings and models API. Its wire format is close to OpenAI's but not the same, so requests
 * and answers are translated both ways (see `mistral-request.ts`, `mistral-response.ts`, `mistral-stream.ts`).
 */
export class MistralProvider implements Provider {
  readonly name = 'mistral' as const;
  readonly requiresKey = true;
  private readonly http: ProviderHttpClient;
  private readonly endpoints: Record<MistralOperation, Endpoint>;
  /** Content type and extra headers, computed once; each call appends only its authorization. */
  private readonly staticHeaders: readonly string[];

  constructor(config: ProviderConfig, dispatcher: Dispatcher) {
    this.http = new ProviderHttpClient('mistral', config, dispatcher, mistralErrorFromResponse);
    const baseUrl = config.network_config.base_url ?? mistralDefaultBaseUrl;
    this.endpoints = {
      chat: resolveEndpoint(baseUrl, '/v1/chat/completions'),
      embedding: resolveEndpoint(baseUrl, '/v1/embeddings'),
      models: resolveEndpoint(baseUrl, '/v1/models'),
    };
    this.staticHeaders = buildStaticHeaders(config.network_config);
  }

  async chatCompletion(
    request: ChatRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<ChatResponse>> {
    const { body, warnings } = toMistralChatBody(request, false);
    const parsed = await this.http.sendJson(
      this.upstreamRequest('chat', body, request.model, options),
      options,
    );
    const response = fromMistralChatCompletion(parsed, this.name, request.model);
    return this.http.withRaw(withWarnings(response, warnings), parsed);
  }

  async chatCompletionStream(request: ChatRequest, options: ProviderCallOptions): Promise<ProviderStream> {
    const { body, warnings } = toMistralChatBody(request, true);
    const upstream = this.upstreamRequest('chat', body, request.model, options);
    upstream.headers.push('accept', 'text/event-stream');
    const response = await this.http.send(upstream, options);
    const context = { provider: this.name, model: request.model, signal: options.signal };
    const stream = mistralChatStream(response.body, context);
    return warnings.length === 0 ? stream : { ...stream, warnings };
  }

  textCompletion(): Promise<ProviderResult<TextCompletionResponse>> {
    return Promise.reject(unsupportedOperationError(this.name, 'text completions'));
  }

  async embedding(
    request: EmbeddingRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<EmbeddingResponse>> {
    const { body, warnings } = toMistralEmbeddingBody(request);
    const upstream = this.upstreamRequest('embedding', body, request.model, options);
    const parsed = await this.http.sendJson(upstream, options);
    return this.http.withRaw(
      withWarnings(readEmbeddings(parsed, this.name, request.model), warnings),
      parsed,
    );
  }

  async listModels(options: ProviderCallOptions): Promise<ModelInfo[]> {
    const upstream = { ...this.upstreamRequest('models', undefined, '', options), method: 'GET' as const };
    return readModelList(await this.http.sendJson(upstream, options), this.name, '');
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private upstreamRequest(
    operation: MistralOperation,
    body: Record<string, unknown> | undefined,
    model: string,
    options: ProviderCallOptions,
  ): UpstreamRequest {
    const headers = this.staticHeaders.slice();
    headers.push('authorization', `Bearer ${options.key.value}`);
    const text = body === undefined ? undefined : JSON.stringify(body);
    return { endpoint: this.endpoints[operation], headers, body: text, model };
  }
}

function withWarnings<Result extends ProviderResult<{ extra_fields: unknown }>>(
  result: Result,
  warnings: readonly string[],
): Result {
  if (warnings.length === 0) return result;
  const existing = result.extra_fields?.warnings ?? [];
  result.extra_fields = { ...result.extra_fields, warnings: [...warnings, ...existing] };
  return result;
}
