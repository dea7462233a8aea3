import { randomUUID } from 'node:crypto';
import type {
  ChatRequest,
  ChatResponse,
  Embedding,
  EmbeddingRequest,
  EmbeddingResponse,
  MetaConfig,
  ModelInfo,
  ProviderConfig,
  TextCompletionRequest,
  TextCompletionResponse,
} from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../../errors/gateway-error.js';
import { buildStaticHeaders } from '../kit/build-static-headers.js';
import { encodePathSegment } from '../kit/encode-path-segment.js';
import { ProviderHttpClient } from '../kit/provider-http-client.js';
import { unsupportedOperationError } from '../kit/unsupported-operation-error.js';
import type { Provider, ProviderCallOptions, ProviderResult, ProviderStream } from '../provider.js';
import { resolveEndpoint } from '../resolve-endpoint.js';
import { readConverseResponse, readFoundationModelIds } from './bedrock-api.js';
import {
  cohereEmbeddingBody,
  embeddingFamilyOf,
  readCohereEmbeddings,
  readTitanEmbedding,
  titanEmbeddingBody,
  toBase64Vector,
  warnUnusedEmbeddingParameters,
} from './bedrock-embedding.js';
import { bedrockErrorFromResponse } from './bedrock-error.js';
import { isClaudeModel, resolveBedrockModelId } from './bedrock-model-id.js';
import { BedrockRequestSigner } from './bedrock-request-signer.js';
import { bedrockChatStream } from './bedrock-stream.js';
import { type BedrockAnswerIdentity, convertFromBedrockResponse } from './convert-from-bedrock-response.js';
import { convertToBedrockRequest } from './convert-to-bedrock-request.js';

/** Options for tests and embedders; production uses the defaults. */
export interface BedrockProviderOptions {
  /** @default () => new Date() */
  now?: () => Date;
}

/** Where one Bedrock API lives: origin and the path prefix before `/model/…` or `/foundation-models`. */
interface Host {
  origin: string;
  prefix: string;
}

/**
 * Amazon Bedrock through the Converse API (chat and streaming), `InvokeModel` (Titan and Cohere embeddings) and
 * `ListFoundationModels`, with SigV4 signing or a Bedrock API key. Model names map to ids and inference-profile
 * ARNs through `meta_config`.
 */
export class BedrockProvider implements Provider {
  readonly name = 'bedrock' as const;
  readonly requiresKey = true;
  private readonly http: ProviderHttpClient;
  private readonly meta: MetaConfig | undefined;
  private readonly signer: BedrockRequestSigner;
  private readonly runtime: Host;
  private readonly controlPlane: Host;
  private readonly extraHeaders: readonly string[];
  private readonly now: () => Date;

  constructor(config: ProviderConfig, dispatcher: Dispatcher, options: BedrockProviderOptions = {}) {
    this.http = new ProviderHttpClient('bedrock', config, dispatcher, bedrockErrorFromResponse);
    this.meta = config.meta_config;
    this.now = options.now ?? (() => new Date());
    this.signer = new BedrockRequestSigner(this.meta, { now: this.now });
    const region = this.signer.region;
    const baseUrl = config.network_config.base_url;
    // The runtime and the control plane are different hosts; a configured base URL (a proxy, a test) serves both.
    this.runtime = hostOf(baseUrl ?? `https://bedrock-runtime.${region}.amazonaws.com`, '/model');
    this.controlPlane = hostOf(baseUrl ?? `https://bedrock.${region}.amazonaws.com`, '/foundation-models');
    // The signer owns these: a caller's copy would break the signature.
    this.extraHeaders = buildStaticHeaders(config.network_config, {
      base: [],
      isReserved: (name) => name === 'authorization' || name === 'host' || name.startsWith('x-amz-'),
      lowerCaseNames: true,
    });
  }

  async chatCompletion(
    request: ChatRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<ChatResponse>> {
    const { modelId, body, warnings } = this.converseBody(request);
    const response = await this.post(
      `/${this.modelSegment(modelId, request.model)}/converse`,
      body,
      request.model,
      options,
    );
    const parsed = await this.http.readJson(response, request.model, options.signal);
    const result = convertFromBedrockResponse(
      readConverseResponse(parsed, this.name, request.model),
      this.identity(response.headers, request.model),
    );
    if (warnings.length > 0) result.extra_fields = { warnings };
    return this.http.withRaw(result, parsed);
  }

  async chatCompletionStream(request: ChatRequest, options: ProviderCallOptions): Promise<ProviderStream> {
    const { modelId, body } = this.converseBody(request);
    const path = `/${this.modelSegment(modelId, request.model)}/converse-stream`;
    const response = await this.post(
      path,
      body,
      request.model,
      options,
      'application/vnd.amazon.eventstream',
    );
    return bedrockChatStream(response.body, this.identity(response.headers, request.model), {
      provider: this.name,
      model: request.model,
      signal: options.signal,
    });
  }

  textCompletion(request: TextCompletionRequest): Promise<ProviderResult<TextCompletionResponse>> {
    return Promise.reject(
      unsupportedOperationError(this.name, 'text completions', request.model, 'use chat completions'),
    );
  }

  async embedding(
    request: EmbeddingRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<EmbeddingResponse>> {
    const modelId = resolveBedrockModelId(request.model, this.meta);
    const family = embeddingFamilyOf(request.model, modelId);
    if (family === undefined) {
      throw new GatewayError(
        'invalid_request',
        `bedrock embeddings support Amazon Titan and Cohere Embed models, not ${request.model}`,
        { provider: this.name, model: request.model, allowFallbacks: true },
      );
    }
    const inputs = typeof request.input === 'string' ? [request.input] : request.input;
    const params = request.params ?? {};
    const warnings: string[] = [];
    warnUnusedEmbeddingParameters(params, warnings);
    const path = `/${this.modelSegment(modelId, request.model)}/invoke`;
    let vectors: number[][];
    let tokens = 0;
    let raw: unknown;
    if (family === 'titan') {
      // Titan embeds one text per call; the calls run side by side.
      const answers = await Promise.all(
        inputs.map(async (input) => {
          const body = titanEmbeddingBody(input, modelId, params, warnings);
          const response = await this.post(path, body, request.model, options);
          const parsed = await this.http.readJson(response, request.model, options.signal);
          return { parsed, read: readTitanEmbedding(parsed, this.name, request.model) };
        }),
      );
      vectors = answers.map((answer) => answer.read.embedding);
      for (const answer of answers) tokens += answer.read.tokens;
      raw = answers.length === 1 ? answers[0]!.parsed : answers.map((answer) => answer.parsed);
    } else {
      const body = cohereEmbeddingBody(inputs, modelId, params, warnings);
      const response = await this.post(path, body, request.model, options);
      raw = await this.http.readJson(response, request.model, options.signal);
      vectors = readCohereEmbeddings(raw, this.name, request.model);
      tokens = Number(response.headers['x-amzn-bedrock-input-token-count'] ?? 0) || 0;
    }
    const base64 = params.encoding_format === 'base64';
    const data: Embedding[] = vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: base64 ? toBase64Vector(vector) : vector,
    }));
    const result: ProviderResult<EmbeddingResponse> = {
      object: 'list',
      data,
      model: request.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
    if (warnings.length > 0) result.extra_fields = { warnings };
    return this.http.withRaw(result, raw);
  }

  async listModels(options: ProviderCallOptions): Promise<ModelInfo[]> {
    const path = `${this.controlPlane.prefix}/foundation-models`;
    const headers = await this.signer.authenticate(
      {
        method: 'GET',
        origin: this.controlPlane.origin,
        path,
        headers: ['accept', 'application/json', ...this.extraHeaders],
      },
      options.key.value,
    );
    const parsed = await this.http.sendJson(
      { endpoint: { origin: this.controlPlane.origin, path }, method: 'GET', headers, model: '' },
      options,
    );
    return readFoundationModelIds(parsed, this.name).map((id) => ({
      id: `${this.name}/${id}`,
      object: 'model',
      created: 0,
      owned_by: this.name,
    }));
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private converseBody(request: ChatRequest) {
    const modelId = resolveBedrockModelId(request.model, this.meta);
    const { body, warnings } = convertToBedrockRequest(request, {
      provider: this.name,
      model: request.model,
      isClaude: isClaudeModel(request.model, modelId),
    });
    return { modelId, body, warnings };
  }

  /** The resolved id as one encoded path segment: ARNs carry `:` and `/`, which must not split the path. */
  private modelSegment(modelId: string, model: string): string {
    return encodePathSegment(modelId, { provider: this.name, model });
  }

  /** Signs and sends a JSON POST to the runtime; `modelPath` starts after `/model`. */
  private async post(
    modelPath: string,
    body: unknown,
    model: string,
    options: ProviderCallOptions,
    accept = 'application/json',
  ): Promise<Dispatcher.ResponseData> {
    const path = `${this.runtime.prefix}/model${modelPath}`;
    const text = JSON.stringify(body);
    const headers = await this.signer.authenticate(
      {
        method: 'POST',
        origin: this.runtime.origin,
        path,
        headers: ['content-type', 'application/json', 'accept', accept, ...this.extraHeaders],
        body: text,
      },
      options.key.value,
    );
    return this.http.send(
      { endpoint: { origin: this.runtime.origin, path }, headers, body: text, model },
      options,
    );
  }

  private identity(headers: Dispatcher.ResponseData['headers'], model: string): BedrockAnswerIdentity {
    const requestId = headers['x-amzn-requestid'];
    return {
      id: typeof requestId === 'string' && requestId !== '' ? requestId : `chatcmpl-${randomUUID()}`,
      created: Math.floor(this.now().getTime() / 1000),
      model,
    };
  }
}

/** The origin and path prefix of a base URL, using the shared rule so `…/model` is not doubled. */
function hostOf(baseUrl: string, firstSegment: string): Host {
  const endpoint = resolveEndpoint(baseUrl, `${firstSegment}/x`);
  // The query of a base URL is dropped: SigV4 would have to sign it, and Bedrock takes none.
  const path = endpoint.path.split('?')[0]!;
  return { origin: endpoint.origin, prefix: path.slice(0, path.length - firstSegment.length - 2) };
}
