import type { ChatRequest, ChatResponse, ProviderName } from '@bifrost/schemas';
import type { ProviderHttpClient, UpstreamRequest } from '../../kit/provider-http-client.js';
import type { ProviderCallOptions, ProviderResult, ProviderStream } from '../../provider.js';
import { readChatCompletion } from './openai-api.js';
import { openAIChatStream } from './openai-stream.js';

/**
 * Addresses a chat body: where it goes and with which headers. The provider decides (its endpoint, its
 * authentication, Azure's deployment in place of the model), and may refuse the call by throwing.
 */
export type OpenAIChatTarget = (
  body: Record<string, unknown>,
  model: string,
  options: ProviderCallOptions,
) => UpstreamRequest | Promise<UpstreamRequest>;

/**
 * Chat completions, whole and streamed, in OpenAI's wire format: the part OpenAI, its compatible providers and
 * Azure share. Each provider composes one with its own HTTP client and {@link OpenAIChatTarget}.
 */
export class OpenAIChatClient {
  private readonly provider: ProviderName;
  private readonly http: ProviderHttpClient;
  private readonly target: OpenAIChatTarget;

  constructor(provider: ProviderName, http: ProviderHttpClient, target: OpenAIChatTarget) {
    this.provider = provider;
    this.http = http;
    this.target = target;
  }

  /** Sends the request as it came in (OpenAI's shape is the gateway's own) and checks the completion. */
  async chatCompletion(
    request: ChatRequest,
    options: ProviderCallOptions,
  ): Promise<ProviderResult<ChatResponse>> {
    // `stream` is the engine's decision, not a parameter: a stray `stream: true` would make the answer SSE.
    const body = { ...request.params, model: request.model, messages: request.messages, stream: undefined };
    const parsed = await this.http.sendJson(await this.target(body, request.model, options), options);
    return this.http.withRaw(readChatCompletion(parsed, this.provider, request.model), parsed);
  }

  /** Sends the request with `stream: true` and reads the SSE answer chunk by chunk. */
  async chatCompletionStream(request: ChatRequest, options: ProviderCallOptions): Promise<ProviderStream> {
    const body = { ...request.params, model: request.model, messages: request.messages, stream: true };
    const response = await this.http.send(await this.target(body, request.model, options), options);
    return openAIChatStream(response.body, {
      provider: this.provider,
      model: request.model,
      signal: options.signal,
    });
  }
}
