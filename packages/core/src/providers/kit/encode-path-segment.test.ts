import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors/gateway-error.js';
import { encodePathSegment } from './encode-path-segment.js';

const context = { provider: 'gemini' as const, model: 'm' };

function refusal(value: string): GatewayError {
  try {
    encodePathSegment(value, context);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be refused`);
}

describe('encodePathSegment', () => {
  it('leaves an ordinary model id as it is', () => {
    expect(encodePathSegment('gemini-2.5-flash', context)).toBe('gemini-2.5-flash');
    expect(encodePathSegment('claude-3-5-sonnet-v2@20241022', context)).toBe('claude-3-5-sonnet-v2@20241022');
  });

  it('encodes the characters that would end the segment or start a query or fragment', () => {
    expect(encodePathSegment('a/b?c=1&d#e', context)).toBe('a%2Fb%3Fc%3D1%26d%23e');
    expect(encodePathSegment('50%:x', context)).toBe('50%25%3Ax');
    expect(encodePathSegment('modèle 🙂', context)).toBe('mod%C3%A8le%20%F0%9F%99%82');
  });

  it('keeps a Bedrock ARN in one segment, as the AWS SDK does', () => {
    expect(
      encodePathSegment(
        'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-v1:0',
        context,
      ),
    ).toBe('arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-v1%3A0');
  });

  it('refuses dot segments, alone or inside a value with slashes, with a 400 naming model', () => {
    for (const value of ['.', '..', '../../v1beta/files?x=', 'a/../b', 'a/.', '..\\x']) {
      expect(refusal(value)).toMatchObject({ code: 'invalid_request', statusCode: 400, param: 'model' });
    }
  });

  it('keeps dots that are part of a name', () => {
    expect(encodePathSegment('...', context)).toBe('...');
    expect(encodePathSegment('a..b', context)).toBe('a..b');
  });

  it('refuses an empty value, control characters and lone surrogates', () => {
    expect(refusal('').message).toBe("model is empty, so it cannot be put in gemini's URL");
    expect(refusal('a\nb').message).toMatch(/control character/);
    expect(refusal('a\u007f').message).toMatch(/control character/);
    expect(refusal('\ud800').message).toMatch(/well-formed/);
  });
});
