import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import { connectionReset, MockUpstream } from '../testing/mock-upstream.js';
import { sendUpstreamRequest, toUpstreamError } from './send-upstream-request.js';

const call = { provider: 'openai' as const, model: 'gpt-4o-mini' };
const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('toUpstreamError', () => {
  it('maps connection failures to a retryable network_error', () => {
    const error = toUpstreamError(coded('ECONNREFUSED'), call);
    expect(error).toMatchObject({
      code: 'network_error',
      retryable: true,
      provider: 'openai',
      model: 'gpt-4o-mini',
    });
    expect(error.message).toBe('could not reach openai: connection refused');
  });

  it('maps undici timeouts to timeout', () => {
    expect(toUpstreamError(coded('UND_ERR_HEADERS_TIMEOUT'), call)).toMatchObject({
      code: 'timeout',
      statusCode: 504,
    });
    expect(toUpstreamError(coded('UND_ERR_BODY_TIMEOUT'), call).code).toBe('timeout');
  });

  it('finds the code on a nested cause', () => {
    const wrapped = new Error('fetch failed', { cause: coded('ENOTFOUND') });
    expect(toUpstreamError(wrapped, call).message).toBe('could not reach openai: host not found');
  });

  it('reports cancelled when the caller aborted, whatever the error', () => {
    expect(toUpstreamError(coded('ECONNRESET'), { ...call, signal: AbortSignal.abort() }).code).toBe(
      'cancelled',
    );
  });

  it('returns a GatewayError unchanged', () => {
    const original = new GatewayError('provider_error', 'bad body');
    expect(toUpstreamError(original, call)).toBe(original);
  });

  it('maps an unknown failure to network_error with its message', () => {
    expect(toUpstreamError(new Error('socket hang up'), call)).toMatchObject({
      code: 'network_error',
      message: 'request to openai failed: socket hang up',
    });
  });
});

describe('sendUpstreamRequest', () => {
  let upstream: MockUpstream;
  afterEach(async () => {
    await upstream.agent.close();
  });

  it('sends method, path, headers and body to the origin', async () => {
    upstream = new MockUpstream();
    upstream.reply('https://api.openai.com', '/v1/chat/completions', 200, { ok: true });
    const response = await sendUpstreamRequest({
      ...call,
      dispatcher: upstream.agent,
      origin: 'https://api.openai.com',
      path: '/v1/chat/completions',
      method: 'POST',
      headers: ['content-type', 'application/json', 'authorization', 'Bearer sk-1'],
      body: '{"model":"gpt-4o-mini"}',
      timeoutMs: 1000,
    });
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toEqual({ ok: true });
    expect(upstream.requests).toEqual([
      {
        origin: 'https://api.openai.com',
        method: 'POST',
        path: '/v1/chat/completions',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-1' },
        body: { model: 'gpt-4o-mini' },
      },
    ]);
  });

  it('turns a connection reset into network_error', async () => {
    upstream = new MockUpstream();
    upstream.replyWithError('https://api.openai.com', '/v1/embeddings', connectionReset());
    const sending = sendUpstreamRequest({
      ...call,
      dispatcher: upstream.agent,
      origin: 'https://api.openai.com',
      path: '/v1/embeddings',
      method: 'POST',
      headers: [],
      body: '{}',
      timeoutMs: 1000,
    });
    await expect(sending).rejects.toMatchObject({
      code: 'network_error',
      message: 'could not reach openai: connection reset',
    });
  });
});

describe('toUpstreamError mid-stream', () => {
  it('says the connection broke mid-stream rather than that the provider was unreachable', () => {
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const error = toUpstreamError(reset, { provider: 'openai', model: 'gpt-4o-mini' }, true);
    expect(error.code).toBe('network_error');
    expect(error.message).toBe(
      'the connection to openai broke before the answer was complete (connection closed unexpectedly)',
    );
  });
});
