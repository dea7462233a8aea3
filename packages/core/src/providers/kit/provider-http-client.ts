import type { ProviderConfig, ProviderName } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../../errors/gateway-error.js';
import { sendUpstreamRequest, toUpstreamError } from '../../http/send-upstream-request.js';
import { upstreamTimeouts } from '../../http/upstream-timeouts.js';
import type { ProviderCallOptions, ProviderResult } from '../provider.js';
import type { Endpoint } from '../resolve-endpoint.js';

/** Turns a provider's non-2xx answer (status, headers, body text) into the error the caller sees. */
export type UpstreamErrorReader = (
  status: number,
  headers: Record<string, string | string[] | undefined>,
  bodyText: string,
  context: { provider: ProviderName; model: string },
  secret: string,
) => GatewayError;

/** One upstream request: where it goes and what it carries. Headers are a flat `[name, value, …]` list. */
export interface UpstreamRequest {
  endpoint: Endpoint;
  method?: 'GET' | 'POST';
  headers: string[];
  body?: string;
  model: string;
}

/**
 * The HTTP plumbing every provider shares: send over the provider's undici pool with its timeout, turn a non-2xx
 * answer into the provider's error, read and parse JSON, attach the raw body when configured. Providers keep only
 * their translation.
 */
export class ProviderHttpClient {
  readonly provider: ProviderName;
  private readonly dispatcher: Dispatcher;
  /** Time to the response headers. */
  private readonly headersTimeoutMs: number;
  /** Silence allowed between two pieces of the body. */
  private readonly bodyTimeoutMs: number;
  private readonly sendBackRawResponse: boolean;
  private readonly readError: UpstreamErrorReader;

  constructor(
    provider: ProviderName,
    config: ProviderConfig,
    dispatcher: Dispatcher,
    readError: UpstreamErrorReader,
  ) {
    this.provider = provider;
    this.dispatcher = dispatcher;
    const timeouts = upstreamTimeouts(config.network_config);
    this.headersTimeoutMs = timeouts.firstTokenMs;
    this.bodyTimeoutMs = timeouts.idleMs;
    this.sendBackRawResponse = config.send_back_raw_response;
    this.readError = readError;
  }

  /** Sends the request and resolves once a 2xx status and headers are in; any other status rejects. */
  async send(request: UpstreamRequest, options: ProviderCallOptions): Promise<Dispatcher.ResponseData> {
    const response = await sendUpstreamRequest({
      dispatcher: this.dispatcher,
      origin: request.endpoint.origin,
      path: request.endpoint.path,
      method: request.method ?? 'POST',
      headers: request.headers,
      body: request.body,
      signal: options.signal,
      timeoutMs: this.headersTimeoutMs,
      bodyTimeoutMs: this.bodyTimeoutMs,
      provider: this.provider,
      model: request.model,
    });
    if (response.statusCode >= 300) throw await this.errorFrom(response, request.model, options.key.value);
    return response;
  }

  /** Sends the request and parses the JSON answer. */
  async sendJson(request: UpstreamRequest, options: ProviderCallOptions): Promise<unknown> {
    const response = await this.send(request, options);
    return this.readJson(response, request.model, options.signal);
  }

  /** Reads a whole body as JSON; a body that breaks off or is not JSON is the provider's fault. */
  async readJson(response: Dispatcher.ResponseData, model: string, signal?: AbortSignal): Promise<unknown> {
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw toUpstreamError(error, { provider: this.provider, model, signal }, true);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new GatewayError('provider_error', `${this.provider} returned a body that is not JSON`, {
        provider: this.provider,
        model,
        statusCode: 502,
      });
    }
  }

  /** Adds the provider's own body as `extra_fields.raw_response` when the provider is configured to. */
  withRaw<Result extends ProviderResult<{ extra_fields: unknown }>>(result: Result, parsed: unknown): Result {
    if (this.sendBackRawResponse) {
      // A copy, since the engine adds extra_fields to the parsed object itself.
      result.extra_fields = { ...result.extra_fields, raw_response: structuredClone(parsed) };
    }
    return result;
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async errorFrom(
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
    return this.readError(
      response.statusCode,
      response.headers,
      text,
      { provider: this.provider, model },
      secret,
    );
  }
}
