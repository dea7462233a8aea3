import { describe, expect, it } from 'vitest';
import { readBedrockFixture } from './__fixtures__/read-bedrock-fixture.js';
import { bedrockErrorFromResponse } from './bedrock-error.js';

interface ErrorFixture {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const context = { provider: 'bedrock' as const, model: 'm' };

function fromFixture(name: string, secret = 'AKIDEXAMPLE') {
  const fixture = readBedrockFixture<ErrorFixture>(name);
  return bedrockErrorFromResponse(
    fixture.status,
    fixture.headers,
    JSON.stringify(fixture.body),
    context,
    secret,
  );
}

describe('bedrockErrorFromResponse', () => {
  it('takes the exception name from x-amzn-errortype without its namespace', () => {
    expect(fromFixture('error-validation')).toMatchObject({
      code: 'invalid_request',
      statusCode: 400,
      upstreamType: 'ValidationException',
      message: 'The provided model identifier is invalid.',
      fromProvider: true,
    });
  });

  it('keeps 429 and Retry-After for ThrottlingException', () => {
    expect(fromFixture('error-throttling')).toMatchObject({
      code: 'rate_limited',
      statusCode: 429,
      upstreamType: 'ThrottlingException',
      retryAfterMs: 3000,
    });
  });

  it('maps AccessDeniedException and InvalidSignatureException to 403', () => {
    expect(fromFixture('error-access-denied')).toMatchObject({
      code: 'permission_denied',
      upstreamType: 'AccessDeniedException',
    });
    expect(fromFixture('error-invalid-signature')).toMatchObject({
      statusCode: 403,
      upstreamType: 'InvalidSignatureException',
    });
  });

  it.each([
    [404, 'ResourceNotFoundException', 'not_found'],
    [408, 'ModelTimeoutException', 'provider_error'],
    [500, 'InternalServerException', 'provider_error'],
    [503, 'ServiceUnavailableException', 'provider_unavailable'],
  ])('keeps status %i and type %s', (status, type, code) => {
    const error = bedrockErrorFromResponse(
      status,
      { 'x-amzn-errortype': type },
      '{"message":"m"}',
      context,
      '',
    );
    expect(error).toMatchObject({ statusCode: status, upstreamType: type, code, message: 'm' });
  });

  it('reads __type and Message when the header is missing', () => {
    const body = '{"__type":"com.amazon.coral.service#UnrecognizedClientException","Message":"bad token"}';
    expect(bedrockErrorFromResponse(403, {}, body, context, '')).toMatchObject({
      upstreamType: 'UnrecognizedClientException',
      message: 'bad token',
    });
  });

  it('never repeats the key in the message', () => {
    const body = '{"message":"The security token ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl is invalid"}';
    const error = bedrockErrorFromResponse(403, {}, body, context, 'ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl');
    expect(error.message).toBe('The security token [redacted] is invalid');
  });
});
