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
import { GatewayError } from '../../errors/gateway-error.js';
import { readAnthropicEvents } from '../formats/anthropic-messages/anthropic-stream.js';
import { fromAnthropicResponse } from '../formats/anthropic-messages/convert-from-anthropic-response.js';
import { toAnthropicRequest } from '../formats/anthropic-messages/convert-to-anthropic-request.js';
import {
  fromGeminiResponse,
  withWarnings,
} from '../formats/gemini-generate-content/convert-from-gemini-response.js';
import { toGeminiRequest } from '../formats/gemini-generate-content/convert-to-gemini-request.js';
import { readGenerateContentResponse } from '../formats/gemini-generate-content/gemini-api.js';
import { toEmbeddingResponse } from '../formats/gemini-generate-content/gemini-embedding.js';
import { geminiChatStream } from '../formats/gemini-generate-content/gemini-stream.js';
import { buildStaticHeaders } from '../kit/build-static-headers.js';
import { encodePathSegment } from '../kit/encode-path-segment.js';
import { ProviderHttpClient, type UpstreamRequest } from '../kit/provider-http-client.js';
import { translatedStream } from '../kit/translated-stream.js';
import { unsupportedOperationError } from '../kit/unsupported-operation-error.js';
import type { Provider, ProviderCallOptions, ProviderResult, ProviderStream } from '../provider.js';
import { type Endpoint, resolveEndpoint } from '../resolve-endpoint.js';
import { ServiceAccountTokenSource } from './vertex-access-token.js';
import { readVertexPredictions, toVertexEmbeddingBody } from './vertex-embedding.js';
import { vertexErrorFromResponse } from './vertex-error.js';
import { parseServiceAccount } from './vertex-service-account.js';

/** The region used when `meta_config.region` is not set. */
export const vertexDefaultRegion = 'us-central1';

/** The `anthropic_version` Claude on Vertex expects in the body (it takes no version header). */
export const vertexAnthropicVersion = 'vertex-2023-10-16';

/** What varies in tests. */
export interface VertexProviderOptions {
  /** @default Date.now */
  now?: () => number;
}

/**
 * Google Cloud Vertex AI: Gemini models through `generateContent` (the Gemini translators, with a bearer token),
 * Claude models through Anthropic's `rawPredict`, text-embedding models through `predict`. The bearer token comes
 * from the service account in `meta_config.auth_credentials`, or is the key's value when there is none.
 */
export class VertexProvider implements Provider {
  readonly name = 'vertex' as const;
  readonly requiresKey: boolean;
  private readonly http: ProviderHttpClient;
  /** `/v1/projects/{project}/locations/{region}/publishers` on the regional origin; calls append the rest. */
  private readonly publishers: Endpoint;
  private readonly staticHeaders: readonly string[];
  private readonly tokens: ServiceAccountTokenSource | undefined;
  private readonly now: () => number;

  constructor(config: ProviderConfig, dispatcher: Dispatcher, options: VertexProviderOptions = {}) {
    const meta = config.meta_config ?? {};
    if (!meta.project_id) {
      throw new GatewayError('invalid_request', 'vertex needs meta_config.project_id', {
        provider: this.name,
        param: 'providers.vertex.meta_config.project_id',
      });
    }
    const region = meta.region ?? vertexDefaultRegion;
    const origin =
      region === 'global'
        ? 'https://aiplatform.googleapis.com'
        : `https://${region}-aiplatform.googleapis.com`;
    this.publishers = resolveEndpoint(
      config.network_config.base_url ?? origin,
      `/v1/projects/${meta.project_id}/locations/${region}/publishers`,
    );
    this.http = new ProviderHttpClient(this.name, config, dispatcher, vertexErrorFromResponse);
    this.now = options.now ?? Date.now;
    if (meta.auth_credentials) {
      this.tokens = new ServiceAccountTokenSource(parseServiceAccount(meta.auth_credentials, this.name), {
        provider: this.name,
        dispatcher,
        tokenUrl: meta.token_url,
        timeoutMs: config.network_config.default_request_timeout_in_seconds * 1000,
        now: this.now,
      });
    }
    this.requiresKey = this.tokens === undefined;
    this.staticHeaders = buildStaticHeaders(config.network_config);
  }

  async chatCompletion(
    request: ChatRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<ChatResponse>> {
    if (isClaude(request.model)) {
      const { body, warnings } = anthropicBody(request, false);
      const call = await this.upstreamRequest(
        `/anthropic/models/${this.modelSegment(request.model)}:rawPredict`,
        body,
        request.model,
        options,
      );
      const parsed = await this.http.sendJson(call, options);
      return this.http.withRaw(
        withWarnings(fromAnthropicResponse(parsed, this.name, request.model), warnings),
        parsed,
      );
    }
    const { body, warnings } = toGeminiRequest(request, this.name);
    const call = await this.upstreamRequest(
      `/google/models/${this.modelSegment(request.model)}:generateContent`,
      JSON.stringify(body),
      request.model,
      options,
    );
    const parsed = await this.http.sendJson(call, options);
    const response = readGenerateContentResponse(parsed, this.name, request.model);
    const result = fromGeminiResponse(response, this.name, request.model, Math.floor(this.now() / 1000));
    return this.http.withRaw(withWarnings(result, warnings), parsed);
  }

  /** Request warnings cannot travel on a stream (the engine owns the chunks' `extra_fields`). */
  async chatCompletionStream(request: ChatRequest, options: ProviderCallOptions): Promise<ProviderStream> {
    const context = { provider: this.name, model: request.model, signal: options.signal };
    if (isClaude(request.model)) {
      const call = await this.upstreamRequest(
        `/anthropic/models/${this.modelSegment(request.model)}:streamRawPredict`,
        anthropicBody(request, true).body,
        request.model,
        options,
      );
      const response = await this.http.send(call, options);
      return translatedStream(response.body, context, (source) => readAnthropicEvents(source, context));
    }
    const body = JSON.stringify(toGeminiRequest(request, this.name).body);
    const call = await this.upstreamRequest(
      `/google/models/${this.modelSegment(request.model)}:streamGenerateContent?alt=sse`,
      body,
      request.model,
      options,
    );
    const response = await this.http.send(call, options);
    return geminiChatStream(response.body, context, Math.floor(this.now() / 1000));
  }

  textCompletion(request: TextCompletionRequest): Promise<ProviderResult<TextCompletionResponse>> {
    return Promise.reject(this.unsupported('text completions', request.model));
  }

  async embedding(
    request: EmbeddingRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<EmbeddingResponse>> {
    const { body, warnings } = toVertexEmbeddingBody(request, this.name);
    const call = await this.upstreamRequest(
      `/google/models/${this.modelSegment(request.model)}:predict`,
      JSON.stringify(body),
      request.model,
      options,
    );
    const parsed = await this.http.sendJson(call, options);
    const { vectors, tokens } = readVertexPredictions(parsed, this.name, request.model);
    const result = toEmbeddingResponse(
      vectors,
      request.model,
      request.params?.encoding_format,
      warnings,
      tokens,
    );
    return this.http.withRaw(result, parsed);
  }

  /** Vertex lists publisher models only through a separate, paginated catalogue API; not offered here. */
  listModels(): Promise<ModelInfo[]> {
    return Promise.reject(this.unsupported('model listing', ''));
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** The caller's model as one encoded segment under `models/`. */
  private modelSegment(model: string): string {
    return encodePathSegment(model, { provider: this.name, model });
  }

  private async upstreamRequest(
    suffix: string,
    body: string,
    model: string,
    options: ProviderCallOptions,
  ): Promise<UpstreamRequest> {
    const token = this.tokens === undefined ? options.key.value : await this.tokens.token(model);
    const headers = this.staticHeaders.slice();
    headers.push('authorization', `Bearer ${token}`);
    return {
      endpoint: { origin: this.publishers.origin, path: `${this.publishers.path}${suffix}` },
      headers,
      body,
      model,
    };
  }

  private unsupported(operation: string, model: string): GatewayError {
    return unsupportedOperationError(this.name, operation, model);
  }
}

/** Anthropic's publisher serves the Claude family. */
function isClaude(model: string): boolean {
  return model.startsWith('claude');
}

/**
 * The Messages body Vertex wants: no `model` (it is in the URL), Vertex's `anthropic_version`, and betas as an
 * `anthropic_beta` list in the body, where Anthropic's own API takes them as a header.
 */
function anthropicBody(request: ChatRequest, stream: boolean): { body: string; warnings: string[] } {
  const { body, warnings } = toAnthropicRequest(request);
  const { model: _model, ...rest } = body;
  const vertexBody: Record<string, unknown> = { anthropic_version: vertexAnthropicVersion, ...rest };
  const beta = request.params?.anthropic_beta;
  if (typeof beta === 'string') vertexBody.anthropic_beta = beta.split(',');
  else if (Array.isArray(beta) && beta.length > 0) vertexBody.anthropic_beta = beta;
  if (stream) vertexBody.stream = true;
  return { body: JSON.stringify(vertexBody), warnings };
}
