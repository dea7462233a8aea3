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
import { readEmbeddings, readTextCompletion } from '../formats/openai-chat/openai-api.js';
import { OpenAIChatClient } from '../formats/openai-chat/openai-chat-client.js';
import { AccessTokenCache } from '../kit/access-token-cache.js';
import { buildStaticHeaders } from '../kit/build-static-headers.js';
import { encodePathSegment } from '../kit/encode-path-segment.js';
import { ProviderHttpClient } from '../kit/provider-http-client.js';
import type { Provider, ProviderCallOptions, ProviderResult, ProviderStream } from '../provider.js';
import { type Endpoint, resolveEndpoint } from '../resolve-endpoint.js';
import { fetchEntraAccessToken } from './azure-entra-token.js';
import { azureErrorFromResponse } from './azure-error.js';
import { withoutPromptAnnotations } from './azure-stream.js';

/** The `api-version` sent when `meta_config.api_version` is not set: the data plane's GA version. */
export const azureDefaultApiVersion = '2024-10-21';

type AzureOperation = 'chat' | 'text' | 'embedding';

const operationPaths: Record<AzureOperation, string> = {
  chat: 'chat/completions',
  text: 'completions',
  embedding: 'embeddings',
};

/** Options for {@link AzureProvider}, injected by tests. */
export interface AzureProviderOptions {
  /**
   * The clock the Entra ID token cache reads.
   * @default Date.now
   */
  now?: () => number;
}

/**
 * Azure OpenAI: OpenAI's bodies sent to `{endpoint}/openai/deployments/{deployment}/{operation}?api-version=…`,
 * the deployment looked up from `meta_config.deployments` by model name (or, with `api_version: "v1"`, to
 * `{endpoint}/openai/v1/{operation}` with the deployment as the body's `model`). Authenticates with the key's value in
 * the `api-key` header, or with a Microsoft Entra ID bearer token when `meta_config` holds client credentials.
 */
export class AzureProvider implements Provider {
  readonly name = 'azure' as const;
  readonly requiresKey: boolean;
  private readonly http: ProviderHttpClient;
  /** Chat goes through OpenAI's own client: Azure differs only in where a body goes and how it is signed. */
  private readonly chat: OpenAIChatClient;
  private readonly origin: string;
  /** `{prefix}/openai/`: `deployments/{deployment}/{operation}` or, on the v1 API, `v1/{operation}` follows. */
  private readonly openaiPath: string;
  /** `api_version: "v1"` selects the v1 API: no `api-version` query, the deployment goes in the body's `model`. */
  private readonly v1: boolean;
  private readonly apiVersionQuery: string;
  private readonly deployments: Readonly<Record<string, string>> | undefined;
  private readonly staticHeaders: readonly string[];
  private readonly entraTokens: AccessTokenCache | undefined;

  constructor(config: ProviderConfig, dispatcher: Dispatcher, options: AzureProviderOptions = {}) {
    const { now = Date.now } = options;
    const meta = config.meta_config ?? {};
    this.http = new ProviderHttpClient('azure', config, dispatcher, azureErrorFromResponse);
    this.chat = new OpenAIChatClient('azure', this.http, (body, model, options) =>
      this.upstreamRequest('chat', body, model, options),
    );
    const base = resolveEndpoint(
      requireEndpoint(meta.endpoint ?? config.network_config.base_url),
      '/openai/',
    );
    this.origin = base.origin;
    this.openaiPath = base.path;
    this.v1 = meta.api_version === 'v1';
    this.apiVersionQuery = `?api-version=${encodeURIComponent(meta.api_version ?? azureDefaultApiVersion)}`;
    this.deployments = meta.deployments;

    this.staticHeaders = buildStaticHeaders(config.network_config, {
      isReserved: (name) => name === 'authorization' || name === 'api-key',
    });

    const credentials = entraCredentials(meta);
    this.entraTokens =
      credentials &&
      new AccessTokenCache(
        () =>
          fetchEntraAccessToken(credentials, {
            dispatcher,
            timeoutMs: config.network_config.default_request_timeout_in_seconds * 1000,
            provider: 'azure',
            now,
          }),
        { now },
      );
    this.requiresKey = this.entraTokens === undefined;
  }

  chatCompletion(request: ChatRequest, options: ProviderCallOptions): Promise<ProviderResult<ChatResponse>> {
    return this.chat.chatCompletion(request, options);
  }

  async chatCompletionStream(request: ChatRequest, options: ProviderCallOptions): Promise<ProviderStream> {
    return withoutPromptAnnotations(await this.chat.chatCompletionStream(request, options));
  }

  async textCompletion(
    request: TextCompletionRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<TextCompletionResponse>> {
    const body = { ...request.params, model: request.model, prompt: request.text, stream: undefined };
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

  /** The configured deployments, by model name: Azure's data plane has no endpoint listing them. */
  listModels(): Promise<ModelInfo[]> {
    const models: ModelInfo[] = Object.keys(this.deployments ?? {}).map((model) => ({
      id: `azure/${model}`,
      object: 'model',
      created: 0,
      owned_by: 'azure',
    }));
    return Promise.resolve(models);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async postJson(
    operation: AzureOperation,
    body: Record<string, unknown>,
    model: string,
    options: ProviderCallOptions,
  ): Promise<unknown> {
    const upstream = await this.upstreamRequest(operation, body, model, options);
    return this.http.sendJson(upstream, options);
  }

  private async upstreamRequest(
    operation: AzureOperation,
    body: Record<string, unknown>,
    model: string,
    options: ProviderCallOptions,
  ) {
    const deployment = this.deploymentFor(model);
    if (this.v1) body.model = deployment;
    const endpoint = this.endpointFor(operation, deployment, model);
    const headers = this.staticHeaders.slice();
    if (this.entraTokens) headers.push('authorization', `Bearer ${await this.entraTokens.get()}`);
    else headers.push('api-key', options.key.value);
    return { endpoint, headers, body: JSON.stringify(body), model };
  }

  private endpointFor(operation: AzureOperation, deployment: string, model: string): Endpoint {
    if (this.v1) return { origin: this.origin, path: `${this.openaiPath}v1/${operationPaths[operation]}` };
    // Without a deployments map the deployment is the caller's model name.
    const segment = encodePathSegment(deployment, { provider: this.name, model });
    const path = `${this.openaiPath}deployments/${segment}/${operationPaths[operation]}${this.apiVersionQuery}`;
    return { origin: this.origin, path };
  }

  /** The deployment serving a model; without a map the model name is taken as the deployment name. */
  private deploymentFor(model: string): string {
    if (this.deployments === undefined) return model;
    const deployment = this.deployments[model];
    if (deployment !== undefined && deployment !== '') return deployment;
    throw new GatewayError(
      'invalid_request',
      `azure has no deployment for model "${model}": add it to meta_config.deployments`,
      { provider: 'azure', model, param: 'providers.azure.meta_config.deployments', allowFallbacks: true },
    );
  }
}

function requireEndpoint(endpoint: string | undefined): string {
  if (endpoint !== undefined && URL.canParse(endpoint)) return endpoint;
  throw new GatewayError(
    'invalid_request',
    endpoint === undefined
      ? 'azure needs meta_config.endpoint (https://<resource>.openai.azure.com)'
      : `azure meta_config.endpoint is not a URL: "${endpoint}"`,
    { provider: 'azure', param: 'providers.azure.meta_config.endpoint' },
  );
}

/** Entra ID client credentials when all three are set; a partial set is a configuration mistake worth naming. */
function entraCredentials(meta: NonNullable<ProviderConfig['meta_config']>) {
  const { tenant_id: tenantId, client_id: clientId, client_secret: clientSecret, token_url: tokenUrl } = meta;
  if (!tenantId && !clientId && !clientSecret) return undefined;
  if (!tenantId || !clientId || !clientSecret) {
    const missing = [
      tenantId ? undefined : 'tenant_id',
      clientId ? undefined : 'client_id',
      clientSecret ? undefined : 'client_secret',
    ].filter((name) => name !== undefined);
    throw new GatewayError(
      'invalid_request',
      `azure Entra ID authentication needs meta_config.tenant_id, client_id and client_secret; missing: ${missing.join(', ')}`,
      { provider: 'azure', param: `providers.azure.meta_config.${missing[0]}` },
    );
  }
  return { tenantId, clientId, clientSecret, tokenUrl };
}
