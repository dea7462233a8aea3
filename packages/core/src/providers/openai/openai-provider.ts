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
import { GatewayError } from '../../errors/gateway-error.js';
import { readEmbeddings, readModelList, readTextCompletion } from '../formats/openai-chat/openai-api.js';
import { OpenAIChatClient } from '../formats/openai-chat/openai-chat-client.js';
import { buildStaticHeaders } from '../kit/build-static-headers.js';
import { ProviderHttpClient } from '../kit/provider-http-client.js';
import { unsupportedOperationError } from '../kit/unsupported-operation-error.js';
import type { Provider, ProviderCallOptions, ProviderResult, ProviderStream } from '../provider.js';
import { type Endpoint, resolveEndpoint } from '../resolve-endpoint.js';
import type { OpenAICompatibleProfile, OpenAIOperation } from './openai-compatible-profiles.js';
import { openAIErrorFromResponse } from './openai-error.js';

const paths: Record<OpenAIOperation, string> = {
  chat: '/v1/chat/completions',
  text: '/v1/completions',
  embedding: '/v1/embeddings',
  models: '/v1/models',
};

const operationNames: Record<OpenAIOperation, string> = {
  chat: 'chat completions',
  text: 'text completions',
  embedding: 'embeddings',
  models: 'model listing',
};

/**
 * OpenAI and every provider that speaks its wire format. Requests go out nearly as they came in (OpenAI's shape
 * is the gateway's own), so the work here is building the body once and checking what comes back.
 */
export class OpenAIProvider implements Provider {
  readonly name: ProviderName;
  readonly requiresKey: boolean;
  private readonly profile: OpenAICompatibleProfile;
  private readonly http: ProviderHttpClient;
  private readonly chat: OpenAIChatClient;
  private readonly endpoints: Record<OpenAIOperation, Endpoint>;
  /** Content type and extra headers, computed once; each call appends only its authorization. */
  private readonly staticHeaders: readonly string[];

  constructor(profile: OpenAICompatibleProfile, config: ProviderConfig, dispatcher: Dispatcher) {
    this.profile = profile;
    this.name = profile.name;
    this.requiresKey = profile.requiresKey;
    this.http = new ProviderHttpClient(profile.name, config, dispatcher, openAIErrorFromResponse);
    this.chat = new OpenAIChatClient(profile.name, this.http, (body, model, options) => {
      this.assertSupports('chat', model);
      return this.upstreamRequest('chat', JSON.stringify(body), model, options);
    });
    const baseUrl = config.network_config.base_url ?? profile.defaultBaseUrl;
    if (baseUrl === undefined) {
      throw new GatewayError(
        'invalid_request',
        `${profile.name} has no default base URL: set network_config.base_url`,
        {
          provider: profile.name,
          param: `providers.${profile.name}.network_config.base_url`,
        },
      );
    }
    this.endpoints = {
      chat: resolveEndpoint(baseUrl, paths.chat),
      text: resolveEndpoint(baseUrl, paths.text),
      embedding: resolveEndpoint(baseUrl, paths.embedding),
      models: resolveEndpoint(baseUrl, paths.models),
    };
    this.staticHeaders = buildStaticHeaders(config.network_config);
  }

  chatCompletion(request: ChatRequest, options: ProviderCallOptions): Promise<ProviderResult<ChatResponse>> {
    return this.chat.chatCompletion(request, options);
  }

  chatCompletionStream(request: ChatRequest, options: ProviderCallOptions): Promise<ProviderStream> {
    return this.chat.chatCompletionStream(request, options);
  }

  async textCompletion(
    request: TextCompletionRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<TextCompletionResponse>> {
    const body = { ...request.params, model: request.model, prompt: request.text };
    const parsed = await this.postJson('text', body, request.model, options);
    return this.http.withRaw(readTextCompletion(parsed, this.name, request.model), parsed);
  }

  async embedding(
    request: EmbeddingRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<EmbeddingResponse>> {
    const body = { ...request.params, model: request.model, input: request.input };
    const parsed = await this.postJson('embedding', body, request.model, options);
    return this.http.withRaw(readEmbeddings(parsed, this.name, request.model), parsed);
  }

  async listModels(options: ProviderCallOptions): Promise<ModelInfo[]> {
    this.assertSupports('models', '');
    const request = this.upstreamRequest('models', undefined, '', options);
    return readModelList(await this.http.sendJson({ ...request, method: 'GET' }, options), this.name, '');
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private postJson(
    operation: OpenAIOperation,
    body: Record<string, unknown>,
    model: string,
    options: ProviderCallOptions,
  ): Promise<unknown> {
    this.assertSupports(operation, model);
    return this.http.sendJson(this.upstreamRequest(operation, JSON.stringify(body), model, options), options);
  }

  private upstreamRequest(
    operation: OpenAIOperation,
    body: string | undefined,
    model: string,
    options: ProviderCallOptions,
  ) {
    const headers = this.staticHeaders.slice();
    if (options.key.value !== '') headers.push('authorization', `Bearer ${options.key.value}`);
    return { endpoint: this.endpoints[operation], headers, body, model };
  }

  private assertSupports(operation: OpenAIOperation, model: string): void {
    if (!this.profile.operations.has(operation)) {
      throw unsupportedOperationError(this.name, operationNames[operation], model);
    }
  }
}
