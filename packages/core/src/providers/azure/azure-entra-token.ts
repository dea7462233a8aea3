import type { ProviderName } from '@bifrost/schemas';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../../errors/gateway-error.js';
import { redactSecret } from '../../errors/redact-secret.js';
import { sendUpstreamRequest } from '../../http/send-upstream-request.js';
import type { AccessToken } from '../kit/access-token-cache.js';

/** The scope Azure OpenAI tokens are issued for. */
export const azureCognitiveServicesScope = 'https://cognitiveservices.azure.com/.default';

/** A Microsoft Entra ID app registration's client credentials. */
export interface EntraClientCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Where tokens are fetched; defaults to `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`. */
  tokenUrl?: string;
}

/** How the token request is sent: the provider's pool, its timeout, and who is asking (for errors). */
export interface EntraTokenRequestOptions {
  dispatcher: Dispatcher;
  timeoutMs: number;
  provider: ProviderName;
  now: () => number;
}

/**
 * Exchanges client credentials for an access token (OAuth 2.0 client-credentials grant), as Microsoft Entra ID
 * documents it. A refused exchange becomes a 401 `authentication_failed` carrying Entra's `error_description`
 * (an Entra outage, 5xx, a retryable 502); the client secret never appears in either.
 */
export async function fetchEntraAccessToken(
  credentials: EntraClientCredentials,
  options: EntraTokenRequestOptions,
): Promise<AccessToken> {
  const url = new URL(
    credentials.tokenUrl ??
      `https://login.microsoftonline.com/${encodeURIComponent(credentials.tenantId)}/oauth2/v2.0/token`,
  );
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
    scope: azureCognitiveServicesScope,
  });
  const requestedAt = options.now();
  const response = await sendUpstreamRequest({
    dispatcher: options.dispatcher,
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: 'POST',
    headers: ['content-type', 'application/x-www-form-urlencoded', 'accept', 'application/json'],
    body: form.toString(),
    timeoutMs: options.timeoutMs,
    provider: options.provider,
    model: '',
  });
  const text = await response.body.text();
  const parsed = parseJsonObject(text);
  const token = parsed?.access_token;
  if (response.statusCode >= 300 || typeof token !== 'string' || token === '') {
    throw tokenExchangeError(response.statusCode, parsed, text, credentials.clientSecret, options.provider);
  }
  const expiresIn = Number(parsed?.expires_in);
  // Entra always says how long a token lives; an hour is its usual lifetime should a proxy drop the field.
  const lifetimeSeconds = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600;
  return { token, expiresAt: requestedAt + lifetimeSeconds * 1000 };
}

function tokenExchangeError(
  status: number,
  parsed: Record<string, unknown> | undefined,
  text: string,
  clientSecret: string,
  provider: ProviderName,
): GatewayError {
  const description =
    typeof parsed?.error_description === 'string'
      ? parsed.error_description
      : typeof parsed?.error === 'string'
        ? parsed.error
        : text.slice(0, 500) || `HTTP ${status}`;
  const upstreamType = typeof parsed?.error === 'string' ? parsed.error : undefined;
  if (status >= 500) {
    // Entra itself failed: the credentials may be fine, so another attempt may succeed.
    const message = redactSecret(`Microsoft Entra ID failed to issue a token: ${description}`, clientSecret);
    return new GatewayError('provider_error', message, {
      provider,
      statusCode: 502,
      fromProvider: true,
      upstreamType,
      retryable: true,
    });
  }
  const message = redactSecret(
    `Microsoft Entra ID refused the client credentials: ${description}`,
    clientSecret,
  );
  return new GatewayError('authentication_failed', message, {
    provider,
    statusCode: 401,
    fromProvider: true,
    upstreamType,
  });
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
