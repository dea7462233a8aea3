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
import {
  fromGeminiResponse,
  withWarnings,
} from '../formats/gemini-generate-content/convert-from-gemini-response.js';
import { toGeminiRequest } from '../formats/gemini-generate-content/convert-to-gemini-request.js';
import {
  readGeminiEmbeddings,
  readGeminiModelNames,
  readGenerateContentResponse,
} from '../formats/gemini-generate-content/gemini-api.js';
import {
  toEmbeddingResponse,
  toGeminiEmbeddingCall,
} from '../formats/gemini-generate-content/gemini-embedding.js';
import { geminiChatStream } from '../formats/gemini-generate-content/gemini-stream.js';
import { buildStaticHeaders } from '../kit/build-static-headers.js';
import { encodePathSegment } from '../kit/encode-path-segment.js';
import { ProviderHttpClient, type UpstreamRequest } from '../kit/provider-http-client.js';
import { unsupportedOperationError } from '../kit/unsupported-operation-error.js';
import type { Provider, ProviderCallOptions, ProviderResult, ProviderStream } from '../provider.js';
import { type Endpoint, resolveEndpoint } from '../resolve-endpoint.js';
import { geminiErrorFromResponse } from './gemini-error.js';

/** Google AI Studio's origin. */
export const geminiDefaultBaseUrl = 'https://generativelanguage.googleapis.com';

/** What varies in tests. */
export interface GeminiProviderOptions {
  /** @default Date.now */
  now?: () => number;
}

/**
 * Gemini through Google AI Studio's `generateContent` API. The key travels in `x-goog-api-key`, never in the
 * query string, so it stays out of access logs.
 */
export class GeminiProvider implements Provider {
  readonly name = 'gemini' as const;
  readonly requiresKey = true;
  private readonly http: ProviderHttpClient;
  /** `/v1beta/models` under the configured base URL; each call appends `/<model>:<method>`. */
  private readonly models: Endpoint;
  private readonly staticHeaders: readonly string[];
  private readonly now: () => number;

  constructor(config: ProviderConfig, dispatcher: Dispatcher, options: GeminiProviderOptions = {}) {
    this.http = new ProviderHttpClient('gemini', config, dispatcher, geminiErrorFromResponse);
    this.models = resolveEndpoint(config.network_config.base_url ?? geminiDefaultBaseUrl, '/v1beta/models');
    this.staticHeaders = buildStaticHeaders(config.network_config, {
      isReserved: (name) => name === 'x-goog-api-key',
    });
    this.now = options.now ?? Date.now;
  }

  async chatCompletion(
    request: ChatRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<ChatResponse>> {
    const { body, warnings } = toGeminiRequest(request, this.name);
    const call = this.upstreamRequest(
      this.modelPath(request.model, 'generateContent'),
      JSON.stringify(body),
      request.model,
      options,
    );
    const parsed = await this.http.sendJson(call, options);
    const response = readGenerateContentResponse(parsed, this.name, request.model);
    const result = fromGeminiResponse(response, this.name, request.model, this.createdSeconds());
    return this.http.withRaw(withWarnings(result, warnings), parsed);
  }

  async chatCompletionStream(request: ChatRequest, options: ProviderCallOptions): Promise<ProviderStream> {
    const { body } = toGeminiRequest(request, this.name);
    const call = this.upstreamRequest(
      `${this.modelPath(request.model, 'streamGenerateContent')}?alt=sse`,
      JSON.stringify(body),
      request.model,
      options,
    );
    const response = await this.http.send(call, options);
    return geminiChatStream(
      response.body,
      { provider: this.name, model: request.model, signal: options.signal },
      this.createdSeconds(),
    );
  }

  textCompletion(request: TextCompletionRequest): Promise<ProviderResult<TextCompletionResponse>> {
    return Promise.reject(unsupportedOperationError(this.name, 'text completions', request.model));
  }

  async embedding(
    request: EmbeddingRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<EmbeddingResponse>> {
    const { method, body, warnings } = toGeminiEmbeddingCall(request, this.name);
    const call = this.upstreamRequest(
      this.modelPath(request.model, method),
      JSON.stringify(body),
      request.model,
      options,
    );
    const parsed = await this.http.sendJson(call, options);
    const vectors = readGeminiEmbeddings(parsed, this.name, request.model);
    const result = toEmbeddingResponse(vectors, request.model, request.params?.encoding_format, warnings);
    return this.http.withRaw(result, parsed);
  }

  async listModels(options: ProviderCallOptions): Promise<ModelInfo[]> {
    const call = this.upstreamRequest('?pageSize=1000', undefined, '', options);
    const parsed = await this.http.sendJson({ ...call, method: 'GET' }, options);
    return readGeminiModelNames(parsed, this.name).map((id) => ({
      id: `gemini/${id}`,
      object: 'model',
      created: 0,
      owned_by: 'google',
    }));
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** `/<model>:<method>`, the model encoded: it comes from the caller and must stay one segment under `models/`. */
  private modelPath(model: string, method: string): string {
    return `/${encodePathSegment(model, { provider: this.name, model })}:${method}`;
  }

  private upstreamRequest(
    suffix: string,
    body: string | undefined,
    model: string,
    options: ProviderCallOptions,
  ): UpstreamRequest {
    const headers = this.staticHeaders.slice();
    headers.push('x-goog-api-key', options.key.value);
    return {
      endpoint: { origin: this.models.origin, path: `${this.models.path}${suffix}` },
      headers,
      body,
      model,
    };
  }

  private createdSeconds(): number {
    return Math.floor(this.now() / 1000);
  }
}
