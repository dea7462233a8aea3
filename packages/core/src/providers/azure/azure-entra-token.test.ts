import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MockUpstream } from '../../testing/mock-upstream.js';
import { fetchEntraAccessToken } from './azure-entra-token.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8');
const login = 'https://login.microsoftonline.com';
const path = '/tenant-1/oauth2/v2.0/token';
const credentials = { tenantId: 'tenant-1', clientId: 'app', clientSecret: 'client-secret-value-123' };

let upstream: MockUpstream;
beforeEach(() => {
  upstream = new MockUpstream();
});
afterEach(async () => {
  await upstream.agent.close();
});

const fetchToken = () =>
  fetchEntraAccessToken(credentials, {
    dispatcher: upstream.agent,
    timeoutMs: 5000,
    provider: 'azure',
    now: () => 1_000_000,
  });

describe('fetchEntraAccessToken', () => {
  it('posts to the tenant’s token endpoint and dates the expiry from expires_in', async () => {
    upstream.reply(login, path, 200, fixture('entra-token'));
    const token = await fetchToken();
    expect(token.token).toMatch(/^eyJ/);
    expect(token.expiresAt).toBe(1_000_000 + 3599 * 1000);
  });

  it('turns a refusal into a 401 with the AADSTS description and without the secret', async () => {
    const body = JSON.parse(fixture('entra-token-error')) as Record<string, unknown>;
    body.error_description = `${String(body.error_description)} (sent client-secret-value-123)`;
    upstream.reply(login, path, 401, JSON.stringify(body));
    const error = await fetchToken().catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'authentication_failed',
      statusCode: 401,
      retryable: false,
      upstreamType: 'invalid_client',
      message: expect.stringContaining('AADSTS7000215'),
    });
    expect((error as Error).message).not.toContain('client-secret-value-123');
  });

  it('treats an Entra outage as a retryable provider error', async () => {
    upstream.reply(login, path, 503, '{"error":"temporarily_unavailable","error_description":"AADSTS90033"}');
    await expect(fetchToken()).rejects.toMatchObject({
      code: 'provider_error',
      statusCode: 502,
      retryable: true,
    });
  });
});
