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
import { sendUpstreamRequest, toUpstreamError } from '../../http/send-upstream-request.js';
import type { Provider, ProviderCallOptions, ProviderResult, ProviderStream } from '../provider.js';
import { type Endpoint, resolveEndpoint } from '../resolve-endpoint.js';
import { readChatCompletion, readEmbeddings, readModelList, readTextCompletion } from './openai-api.js';
import type { OpenAICompatibleProfile, OpenAIOperation } from './openai-compatible-profiles.js';
import { openAIErrorFromResponse } from './openai-error.js';
import { openAIChatStream } from './openai-stream.js';

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
  private readonly dispatcher: Dispatcher;
  private readonly endpoints: Record<OpenAIOperation, Endpoint>;
  /** Content type and extra headers, computed once; each call appends only its authorization. */
  private readonly staticHeaders: readonly string[];
  private readonly timeoutMs: number;
  private readonly sendBackRawResponse: boolean;

  constructor(profile: OpenAICompatibleProfile, config: ProviderConfig, dispatcher: Dispatcher) {
    this.profile = profile;
    this.name = profile.name;
    this.requiresKey = profile.requiresKey;
    this.dispatcher = dispatcher;
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
    const headers = ['content-type', 'application/json'];
    for (const [name, value] of Object.entries(config.network_config.extra_headers ?? {})) {
      if (name.toLowerCase() !== 'authorization') headers.push(name, value);
    }
    this.staticHeaders = headers;
    this.timeoutMs = config.network_config.default_request_timeout_in_seconds * 1000;
    this.sendBackRawResponse = config.send_back_raw_response;
  }

  async chatCompletion(
    request: ChatRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<ChatResponse>> {
    // `stream` is the engine's decision, not a parameter: a stray `stream: true` would make the answer SSE.
    const body = { ...request.params, model: request.model, messages: request.messages, stream: undefined };
    const parsed = await this.postJson('chat', body, request.model, options);
    return this.withRaw(readChatCompletion(parsed, this.name, request.model), parsed);
  }

  async chatCompletionStream(request: ChatRequest, options: ProviderCallOptions): Promise<ProviderStream> {
    this.assertSupports('chat', request.model);
    const body = JSON.stringify({
      ...request.params,
      model: request.model,
      messages: request.messages,
      stream: true,
    });
    const response = await this.send('chat', 'POST', body, request.model, options);
    if (response.statusCode >= 300) throw await this.readError(response, request.model, options.key.value);
    return openAIChatStream(response.body, {
      provider: this.name,
      model: request.model,
      signal: options.signal,
    });
  }

  async textCompletion(
    request: TextCompletionRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<TextCompletionResponse>> {
    const body = { ...request.params, model: request.model, prompt: request.text };
    const parsed = await this.postJson('text', body, request.model, options);
    return this.withRaw(readTextCompletion(parsed, this.name, request.model), parsed);
  }

  async embedding(
    request: EmbeddingRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<EmbeddingResponse>> {
    const body = { ...request.params, model: request.model, input: request.input };
    const parsed = await this.postJson('embedding', body, request.model, options);
    return this.withRaw(readEmbeddings(parsed, this.name, request.model), parsed);
  }

  async listModels(options: ProviderCallOptions): Promise<ModelInfo[]> {
    this.assertSupports('models', '');
    const response = await this.send('models', 'GET', undefined, '', options);
    if (response.statusCode >= 300) throw await this.readError(response, '', options.key.value);
    return readModelList(await this.readJson(response, ''), this.name, '');
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async postJson(
    operation: OpenAIOperation,
    body: Record<string, unknown>,
    model: string,
    options: ProviderCallOptions,
  ): Promise<unknown> {
    this.assertSupports(operation, model);
    const response = await this.send(operation, 'POST', JSON.stringify(body), model, options);
    if (response.statusCode >= 300) throw await this.readError(response, model, options.key.value);
    return this.readJson(response, model, options.signal);
  }

  private send(
    operation: OpenAIOperation,
    method: 'GET' | 'POST',
    body: string | undefined,
    model: string,
    options: ProviderCallOptions,
  ): Promise<Dispatcher.ResponseData> {
    const endpoint = this.endpoints[operation];
    const headers = this.staticHeaders.slice();
    if (options.key.value !== '') headers.push('authorization', `Bearer ${options.key.value}`);
    return sendUpstreamRequest({
      dispatcher: this.dispatcher,
      origin: endpoint.origin,
      path: endpoint.path,
      method,
      headers,
      body,
      signal: options.signal,
      timeoutMs: this.timeoutMs,
      provider: this.name,
      model,
    });
  }

  private async readJson(
    response: Dispatcher.ResponseData,
    model: string,
    signal?: AbortSignal,
  ): Promise<unknown> {
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw toUpstreamError(error, { provider: this.name, model, signal });
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new GatewayError('provider_error', `${this.name} returned a body that is not JSON`, {
        provider: this.name,
        model,
        statusCode: 502,
      });
    }
  }

  private async readError(
    response: Dispatcher.ResponseData,
    model: string,
    secret: string,
  ): Promise<GatewayError> {
    let text = '';
    try {
      text = await response.body.text();
    } catch {
      // The status alone still tells the caller what happened.
    }
    return openAIErrorFromResponse(
      response.statusCode,
      response.headers,
      text,
      { provider: this.name, model },
      secret,
    );
  }

  private withRaw<Result extends ProviderResult<{ extra_fields: unknown }>>(
    result: Result,
    parsed: unknown,
  ): Result {
    if (this.sendBackRawResponse) {
      // A copy, since the engine adds extra_fields to the parsed object itself.
      result.extra_fields = { ...result.extra_fields, raw_response: structuredClone(parsed) };
    }
    return result;
  }

  private assertSupports(operation: OpenAIOperation, model: string): void {
    if (!this.profile.operations.has(operation)) {
      throw new GatewayError(
        'invalid_request',
        `${this.name} does not support ${operationNames[operation]}`,
        {
          provider: this.name,
          model,
          allowFallbacks: true,
        },
      );
    }
  }
}
