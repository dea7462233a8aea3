import { createVerify, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MockUpstream } from '../../testing/mock-upstream.js';
import { ServiceAccountTokenSource } from './vertex-access-token.js';
import { cloudPlatformScope, signServiceAccountAssertion } from './vertex-jwt.js';
import { parseServiceAccount } from './vertex-service-account.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const account = {
  client_email: 'gateway@my-project.iam.gserviceaccount.com',
  private_key: privatePem,
  private_key_id: 'key-1',
  token_uri: 'https://oauth2.googleapis.com/token',
};
const tokenOrigin = 'https://oauth2.googleapis.com';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8'));
}

/** The token requests sent; read from the call history, since their bodies are forms, not JSON. */
function tokenRequests(): { path: string; method: string; contentType: unknown; form: URLSearchParams }[] {
  return (upstream.agent.getCallHistory()?.calls() ?? []).map((call) => ({
    path: call.fullUrl.slice(call.origin.length),
    method: call.method,
    contentType: headerValue(call.headers, 'content-type'),
    form: new URLSearchParams(String(call.body)),
  }));
}

function headerValue(headers: unknown, name: string): unknown {
  if (!Array.isArray(headers)) return (headers as Record<string, unknown>)[name];
  return headers[headers.indexOf(name) + 1];
}

function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

let upstream: MockUpstream;
let clock: number;
beforeEach(() => {
  upstream = new MockUpstream();
  clock = 1_750_000_000_000;
});
afterEach(async () => {
  await upstream.agent.close();
});

function source(tokenUrl?: string): ServiceAccountTokenSource {
  return new ServiceAccountTokenSource(account, {
    provider: 'vertex',
    dispatcher: upstream.agent,
    tokenUrl,
    timeoutMs: 5000,
    now: () => clock,
  });
}

describe('signServiceAccountAssertion', () => {
  it('signs an RS256 JWT with the service account as issuer and the token URL as audience', () => {
    const jwt = signServiceAccountAssertion(account, 'https://oauth2.googleapis.com/token', 1_750_000_000);
    const [header, claims, signature] = jwt.split('.');
    expect(decodeSegment(header!)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'key-1' });
    expect(decodeSegment(claims!)).toEqual({
      iss: 'gateway@my-project.iam.gserviceaccount.com',
      scope: cloudPlatformScope,
      aud: 'https://oauth2.googleapis.com/token',
      iat: 1_750_000_000,
      exp: 1_750_003_600,
    });
    const verified = createVerify('RSA-SHA256')
      .update(`${header}.${claims}`)
      .verify(publicKey, signature!, 'base64url');
    expect(verified).toBe(true);
  });
});

describe('ServiceAccountTokenSource', () => {
  it('posts the JWT-bearer grant and caches the token until shortly before it expires', async () => {
    upstream.reply(tokenOrigin, '/token', 200, fixture('token-response'));
    upstream.reply(tokenOrigin, '/token', 200, { access_token: 'ya29.second', expires_in: 3599 });
    const tokens = source();
    const [first, second] = await Promise.all([tokens.token('m'), tokens.token('m')]);
    expect([first, second]).toEqual([
      'ya29.c.b0Aaekm1KtestAccessTokenFromTheJwtBearerGrant',
      'ya29.c.b0Aaekm1KtestAccessTokenFromTheJwtBearerGrant',
    ]);
    clock += 50 * 60 * 1000;
    expect(await tokens.token('m')).toBe('ya29.c.b0Aaekm1KtestAccessTokenFromTheJwtBearerGrant');
    clock += 5 * 60 * 1000;
    expect(await tokens.token('m')).toBe('ya29.second');

    const requests = tokenRequests();
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      path: '/token',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(requests[0]!.form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const claims = decodeSegment(requests[0]!.form.get('assertion')!.split('.')[1]!);
    expect(claims).toMatchObject({
      iss: account.client_email,
      aud: 'https://oauth2.googleapis.com/token',
      iat: 1_750_000_000,
    });
  });

  it('sends the assertion to an overriding token URL, which is also its audience', async () => {
    upstream.reply('http://127.0.0.1:9', '/oauth/token?x=1', 200, fixture('token-response'));
    await source('http://127.0.0.1:9/oauth/token?x=1').token('m');
    const [request] = tokenRequests();
    expect(request!.path).toBe('/oauth/token?x=1');
    expect(decodeSegment(request!.form.get('assertion')!.split('.')[1]!).aud).toBe(
      'http://127.0.0.1:9/oauth/token?x=1',
    );
  });

  it('fails with a 401 that names the OAuth error but carries no secret', async () => {
    upstream.reply(tokenOrigin, '/token', 400, fixture('token-error-invalid-grant'));
    const failing = source().token('gemini-2.5-flash');
    await expect(failing).rejects.toMatchObject({
      code: 'authentication_failed',
      statusCode: 401,
      retryable: false,
      message:
        'vertex could not get an access token: the token endpoint refused the service account gateway@my-project.iam.gserviceaccount.com: invalid_grant (Invalid JWT Signature.)',
    });
    const error = (await failing.catch((caught: unknown) => caught)) as Error;
    expect(error.message).not.toContain('PRIVATE KEY');
  });

  it('fails cleanly for a private key it cannot sign with', async () => {
    const broken = new ServiceAccountTokenSource(
      { ...account, private_key: 'not a key' },
      { provider: 'vertex', dispatcher: upstream.agent, timeoutMs: 5000 },
    );
    await expect(broken.token('m')).rejects.toMatchObject({
      code: 'authentication_failed',
      message:
        'vertex could not get an access token: could not sign with the private key of gateway@my-project.iam.gserviceaccount.com',
    });
    expect(tokenRequests()).toEqual([]);
  });
});

describe('parseServiceAccount', () => {
  it('reads a key file and defaults the token URI', () => {
    const parsed = parseServiceAccount(
      JSON.stringify({ type: 'service_account', client_email: 'a@b', private_key: 'k' }),
      'vertex',
    );
    expect(parsed).toEqual({
      client_email: 'a@b',
      private_key: 'k',
      token_uri: 'https://oauth2.googleapis.com/token',
    });
  });

  it('names the missing field without repeating the contents', () => {
    expect(() => parseServiceAccount('{"private_key":"secret"}', 'vertex')).toThrow(
      'meta_config.auth_credentials has no client_email',
    );
    expect(() => parseServiceAccount('secret-text', 'vertex')).toThrow(
      'meta_config.auth_credentials is not JSON (expected a service-account key file)',
    );
  });
});
