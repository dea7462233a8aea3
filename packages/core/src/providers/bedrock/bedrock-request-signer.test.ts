import { describe, expect, it } from 'vitest';
import { BedrockRequestSigner } from './bedrock-request-signer.js';

const now = () => new Date('2024-05-01T12:34:56Z');
const request = {
  method: 'POST' as const,
  origin: 'https://bedrock-runtime.eu-west-1.amazonaws.com',
  path: '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse',
  headers: ['content-type', 'application/json', 'x-team', 'search'],
  body: '{"messages":[]}',
};

function headerMap(flat: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (let index = 0; index < flat.length; index += 2) map[flat[index]!] = flat[index + 1]!;
  return map;
}

describe('BedrockRequestSigner', () => {
  it('sends the key as a bearer token when no secret is configured', async () => {
    const signer = new BedrockRequestSigner({ region: 'eu-west-1' }, { now });
    expect(await signer.authenticate(request, 'ABSK-key')).toEqual([
      'content-type',
      'application/json',
      'x-team',
      'search',
      'authorization',
      'Bearer ABSK-key',
    ]);
  });

  it('signs every header it sends, the session token included, scoped to bedrock and the region', async () => {
    const signer = new BedrockRequestSigner(
      { secret_access_key: 'secret', session_token: 'token', region: 'eu-west-1' },
      { now },
    );
    const headers = headerMap(await signer.authenticate(request, 'AKIDEXAMPLE'));
    expect(headers).toEqual({
      'content-type': 'application/json',
      'x-team': 'search',
      'x-amz-date': '20240501T123456Z',
      'x-amz-security-token': 'token',
      'x-amz-content-sha256': expect.stringMatching(/^[0-9a-f]{64}$/),
      authorization: expect.stringMatching(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20240501\/eu-west-1\/bedrock\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-team, Signature=[0-9a-f]{64}$/,
      ),
    });
  });

  it('gives the same signature for the same request and a different one for other bytes', async () => {
    const signer = new BedrockRequestSigner({ secret_access_key: 'secret' }, { now });
    const first = headerMap(await signer.authenticate(request, 'AKID')).authorization;
    const again = headerMap(await signer.authenticate(request, 'AKID')).authorization;
    const other = headerMap(
      await signer.authenticate({ ...request, body: '{"messages":[1]}' }, 'AKID'),
    ).authorization;
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(first).toContain('/us-east-1/bedrock/');
  });
});
