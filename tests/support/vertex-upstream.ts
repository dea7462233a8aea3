import { createVerify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  type LoopbackServer,
  type RecordedRequest,
  startLoopbackServer,
  writeJson,
} from './loopback-server.js';

const fixturesDirectory = new URL('../../packages/core/src/providers/vertex/__fixtures__/', import.meta.url);

/** Reads one of the documented Vertex example bodies kept beside the provider; a fresh copy each call. */
export function readVertexFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, fixturesDirectory), 'utf8')) as T;
}

/** A running fake of Google's OAuth token endpoint for the JWT-bearer grant. */
export interface GoogleTokenEndpoint {
  /** The full token URL, `http://127.0.0.1:PORT/token`: the assertion's audience. */
  url: string;
  requests: RecordedRequest[];
  /** Every access token issued, oldest first. */
  issued: string[];
  reset(): void;
  close(): Promise<void>;
}

/** Options for {@link startGoogleTokenEndpoint}. */
export interface GoogleTokenEndpointOptions {
  /** The public half of the service account's key: assertions must verify against it. */
  publicKey: KeyObject;
  /** The service account the endpoint knows. */
  clientEmail: string;
  /** Each issued token is pushed here too, e.g. onto the list the Vertex fake accepts. */
  onIssue?: (token: string) => void;
}

const jwtBearerGrant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * Starts a loopback fake of `oauth2.googleapis.com/token`: it checks the grant type, the assertion's RS256
 * signature against the account's public key and its claims (issuer, cloud-platform scope, audience = this URL,
 * at most an hour long), then issues a fresh `ya29.` token valid for 3599 seconds. Failures use Google's
 * documented `{error, error_description}` answers.
 */
export async function startGoogleTokenEndpoint(
  options: GoogleTokenEndpointOptions,
): Promise<GoogleTokenEndpoint> {
  const issued: string[] = [];
  let url = '';
  const server: LoopbackServer = await startLoopbackServer((request, response) => {
    const failure = checkGrant(request, options, url);
    if (failure !== undefined) return writeJson(response, 400, failure);
    const token = `ya29.loopback-token-${issued.length + 1}`;
    issued.push(token);
    options.onIssue?.(token);
    writeJson(response, 200, {
      ...readVertexFixture<Record<string, unknown>>('token-response'),
      access_token: token,
    });
  });
  url = `${server.url}/token`;
  return {
    url,
    requests: server.requests,
    issued,
    reset: () => {
      issued.length = 0;
      server.reset();
    },
    close: () => server.close(),
  };
}

/** Splits and decodes a compact JWT. */
export function decodeJwt(jwt: string): {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: string;
  signature: string;
} {
  const [header = '', claims = '', signature = ''] = jwt.split('.');
  const decode = (segment: string) =>
    JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: decode(header), claims: decode(claims), signingInput: `${header}.${claims}`, signature };
}

/** The form fields of a token request. */
export function tokenForm(request: RecordedRequest): URLSearchParams {
  return new URLSearchParams(request.rawBody);
}

function checkGrant(
  request: RecordedRequest,
  options: GoogleTokenEndpointOptions,
  audience: string,
): Record<string, string> | undefined {
  if (request.method !== 'POST' || request.path !== '/token')
    return { error: 'invalid_request', error_description: 'Not found' };
  const form = tokenForm(request);
  const grantType = form.get('grant_type');
  if (grantType !== jwtBearerGrant)
    return { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grantType ?? ''}` };
  const assertion = form.get('assertion');
  if (!assertion)
    return { error: 'invalid_request', error_description: 'Missing required parameter: assertion' };
  let jwt: ReturnType<typeof decodeJwt>;
  try {
    jwt = decodeJwt(assertion);
  } catch {
    return {
      error: 'invalid_grant',
      error_description: 'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe',
    };
  }
  const verified =
    jwt.header.alg === 'RS256' &&
    createVerify('RSA-SHA256').update(jwt.signingInput).verify(options.publicKey, jwt.signature, 'base64url');
  if (!verified) return { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' };
  const { iss, scope, aud, iat, exp } = jwt.claims;
  if (iss !== options.clientEmail)
    return { error: 'invalid_grant', error_description: 'Invalid grant: account not found' };
  if (aud !== audience)
    return { error: 'invalid_grant', error_description: 'Invalid JWT: Failed audience check.' };
  if (scope !== 'https://www.googleapis.com/auth/cloud-platform')
    return {
      error: 'invalid_scope',
      error_description: 'Invalid OAuth scope or ID token audience provided.',
    };
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 3600 || exp <= iat) {
    return {
      error: 'invalid_grant',
      error_description:
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
    };
  }
  return undefined;
}
