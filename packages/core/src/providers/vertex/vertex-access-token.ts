import type { ProviderName } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../../errors/gateway-error.js';
import { sendUpstreamRequest, toUpstreamError } from '../../http/send-upstream-request.js';
import { type AccessToken, AccessTokenCache } from '../kit/access-token-cache.js';
import { signServiceAccountAssertion } from './vertex-jwt.js';
import type { ServiceAccount } from './vertex-service-account.js';

/** Refresh this long before the token expires, so a request never leaves with a token about to lapse. */
const refreshMarginMs = 5 * 60 * 1000;

/** What the token source needs besides the account. */
export interface AccessTokenSourceOptions {
  provider: ProviderName;
  dispatcher: Dispatcher;
  /** Overrides the key file's `token_uri` (`meta_config.token_url`), e.g. for a loopback test server. */
  tokenUrl?: string;
  timeoutMs: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Exchanges a service account's signed assertion for an OAuth access token (the JWT-bearer grant), held in an
 * {@link AccessTokenCache} until shortly before it expires. Neither the token nor the key ever appears in an error
 * message.
 */
export class ServiceAccountTokenSource {
  private readonly account: ServiceAccount;
  private readonly options: AccessTokenSourceOptions;
  private readonly tokenUrl: URL;
  private readonly now: () => number;
  private readonly cache: AccessTokenCache;
  /** The model of the request that needed the token, for the error should the exchange fail. */
  private model = '';

  constructor(account: ServiceAccount, options: AccessTokenSourceOptions) {
    this.account = account;
    this.options = options;
    this.tokenUrl = new URL(options.tokenUrl ?? account.token_uri);
    this.now = options.now ?? Date.now;
    this.cache = new AccessTokenCache(() => this.fetchToken(this.model), { now: this.now, refreshMarginMs });
  }

  /** A valid access token: the cached one, or a fresh one. */
  token(model: string): Promise<string> {
    this.model = model;
    return this.cache.get();
  }

  private async fetchToken(model: string): Promise<AccessToken> {
    const { provider, dispatcher, timeoutMs } = this.options;
    const audience = this.tokenUrl.href;
    let assertion: string;
    try {
      assertion = signServiceAccountAssertion(this.account, audience, Math.floor(this.now() / 1000));
    } catch (error) {
      throw this.failure(
        `could not sign with the private key of ${this.account.client_email}`,
        model,
        false,
        error,
      );
    }
    const body = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion,
    }).toString();
    const requestedAtMs = this.now();
    const response = await sendUpstreamRequest({
      dispatcher,
      origin: this.tokenUrl.origin,
      path: `${this.tokenUrl.pathname}${this.tokenUrl.search}`,
      method: 'POST',
      headers: ['content-type', 'application/x-www-form-urlencoded', 'accept', 'application/json'],
      body,
      timeoutMs,
      provider,
      model,
    });
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw toUpstreamError(error, { provider, model });
    }
    const parsed = parseJsonObject(text);
    if (response.statusCode >= 300) {
      // OAuth errors are `{error, error_description}`: safe to repeat, they never hold the assertion.
      const reason = typeof parsed?.error === 'string' ? parsed.error : `HTTP ${response.statusCode}`;
      const description =
        typeof parsed?.error_description === 'string' ? ` (${parsed.error_description})` : '';
      throw this.failure(
        `the token endpoint refused the service account ${this.account.client_email}: ${reason}${description}`,
        model,
        response.statusCode >= 500 || response.statusCode === 429,
      );
    }
    const token = parsed?.access_token;
    if (typeof token !== 'string' || token === '') {
      throw this.failure('the token endpoint answered without an access_token', model, true);
    }
    const lifetimeMs = (typeof parsed?.expires_in === 'number' ? parsed.expires_in : 3600) * 1000;
    return { token, expiresAt: requestedAtMs + lifetimeMs };
  }

  private failure(detail: string, model: string, retryable: boolean, cause?: unknown): GatewayError {
    return new GatewayError(
      'authentication_failed',
      `${this.options.provider} could not get an access token: ${detail}`,
      {
        provider: this.options.provider,
        model,
        statusCode: 401,
        retryable,
        cause,
      },
    );
  }
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
