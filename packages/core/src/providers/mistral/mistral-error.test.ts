import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mistralErrorFromResponse } from './mistral-error.js';

const fixture = (name: string) =>
  readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8');
const context = { provider: 'mistral' as const, model: 'mistral-small-latest' };

describe('mistralErrorFromResponse', () => {
  it('reads the {object: "error"} envelope', () => {
    expect(mistralErrorFromResponse(400, {}, fixture('error-400-tool-call-id'), context)).toMatchObject({
      code: 'invalid_request',
      statusCode: 400,
      upstreamType: 'invalid_request_error',
      upstreamCode: null,
      message: 'Tool call id was abc123 but must be a-z, A-Z, 0-9, with a length of 9.',
    });
  });

  it('reads validation details, bare or wrapped in message', () => {
    expect(mistralErrorFromResponse(422, {}, fixture('error-422-validation'), context)).toMatchObject({
      param: 'messages',
      message: 'messages: Field required',
    });
    const wrapped = JSON.stringify({
      object: 'error',
      message: {
        detail: [{ type: 'extra_forbidden', loc: ['body', 'seed'], msg: 'Extra inputs are not permitted' }],
      },
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    expect(mistralErrorFromResponse(422, {}, wrapped, context)).toMatchObject({
      upstreamType: 'invalid_request_error',
      param: 'seed',
      message: 'seed: Extra inputs are not permitted',
    });
  });

  it('reads the gateway’s {message} and {detail} forms and redacts the key', () => {
    expect(mistralErrorFromResponse(401, {}, fixture('error-401-unauthorized'), context).message).toBe(
      'Unauthorized',
    );
    expect(mistralErrorFromResponse(401, {}, '{"detail":"Unauthorized"}', context).message).toBe(
      'Unauthorized',
    );
    const echoed = mistralErrorFromResponse(
      401,
      {},
      '{"message":"bad key sk-mistral-secret-1"}',
      context,
      'sk-mistral-secret-1',
    );
    expect(echoed.message).toBe('bad key [redacted]');
  });
});
