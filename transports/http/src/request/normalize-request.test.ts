import { GatewayError } from '@bifrost/core';
import { describe, expect, it } from 'vitest';
import {
  normalizeChatRequest,
  normalizeEmbeddingRequest,
  normalizeTextCompletionRequest,
} from './normalize-request.js';

const messages = [{ role: 'user', content: 'Hello!' }];

/** The GatewayError a call throws, so each test can check both its field and its message. */
function errorOf(call: () => unknown): GatewayError {
  try {
    call();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError, but nothing was thrown');
}

describe('normalizeChatRequest', () => {
  it('reads the v1.0 shape: provider, model, params and fallback objects', () => {
    const { request, stream } = normalizeChatRequest({
      provider: 'openai',
      model: 'gpt-4o-mini',
      messages,
      params: { temperature: 0.5, max_tokens: 10 },
      fallbacks: [{ provider: 'anthropic', model: 'claude-3-5-haiku-latest' }],
    });
    expect(request).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      messages,
      params: { temperature: 0.5, max_tokens: 10 },
      fallbacks: [{ provider: 'anthropic', model: 'claude-3-5-haiku-latest' }],
    });
    expect(stream).toBe(false);
  });

  it('reads the v1.1 flat shape: provider/model, top-level params and string fallbacks', () => {
    const { request, stream } = normalizeChatRequest({
      model: 'openai/gpt-4o-mini',
      messages,
      temperature: 0.2,
      user: 'user-1234',
      reasoning_effort: 'low',
      fallbacks: ['anthropic/claude-3-5-haiku-latest', 'groq/llama-3.1-8b-instant'],
      stream: true,
    });
    expect(request).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      messages,
      params: { temperature: 0.2, user: 'user-1234', reasoning_effort: 'low' },
      fallbacks: [
        { provider: 'anthropic', model: 'claude-3-5-haiku-latest' },
        { provider: 'groq', model: 'llama-3.1-8b-instant' },
      ],
    });
    expect(stream).toBe(true);
  });

  it('lets top-level params override the same names in params', () => {
    const { request } = normalizeChatRequest({
      model: 'openai/gpt-4o-mini',
      messages,
      params: { temperature: 1, top_p: 0.9 },
      temperature: 0,
    });
    expect(request.params).toEqual({ temperature: 0, top_p: 0.9 });
  });

  it('splits at the first slash only, so openrouter/meta-llama/llama-3 keeps the rest as the model', () => {
    const { request } = normalizeChatRequest({ model: 'openrouter/meta-llama/llama-3', messages });
    expect(request).toEqual({ provider: 'openrouter', model: 'meta-llama/llama-3', messages });
  });

  it('reads a fallback object whose model names its provider', () => {
    const { request } = normalizeChatRequest({
      model: 'openai/gpt-4o-mini',
      messages,
      fallbacks: [{ model: 'anthropic/claude-3-5-haiku-latest' }],
    });
    expect(request.fallbacks).toEqual([{ provider: 'anthropic', model: 'claude-3-5-haiku-latest' }]);
  });

  it('leaves params and fallbacks out when none are given', () => {
    for (const fallbacks of [null, []]) {
      const { request } = normalizeChatRequest({ model: 'openai/gpt-4o-mini', messages, fallbacks });
      expect(Object.keys(request).sort()).toEqual(['messages', 'model', 'provider']);
    }
  });

  it.each([
    ['a body that is not an object', ['model'], undefined, 'request body must be a JSON object'],
    [
      'a missing model',
      { messages },
      'model',
      'model: is required: "provider/model", e.g. "openai/gpt-4o-mini"',
    ],
    ['an empty model', { model: '', messages }, 'model', undefined],
    [
      'a model without a provider prefix',
      { model: 'gpt-4o-mini', messages },
      'model',
      'model: must name its provider, as "provider/model" (e.g. "openai/gpt-4o-mini"), or set "provider"',
    ],
    [
      'a model with an unknown provider prefix',
      { model: 'acme/gpt-4o-mini', messages },
      'model',
      'model: unknown provider "acme"; write "provider/model" with a known provider, or set "provider"',
    ],
    [
      'a model that is only a prefix',
      { model: 'openai/', messages },
      'model',
      'model: must name a model after "openai/"',
    ],
    [
      'an unknown provider',
      { provider: 'acme', model: 'x', messages },
      'provider',
      'provider: unknown provider "acme"',
    ],
    ['a provider that is not a string', { provider: 7, model: 'x', messages }, 'provider', undefined],
    ['missing messages', { model: 'openai/x' }, 'messages', 'messages: must be an array of messages'],
    [
      'empty messages',
      { model: 'openai/x', messages: [] },
      'messages',
      'messages: must contain at least one message',
    ],
    [
      'a message with a bad role',
      { model: 'openai/x', messages: [...messages, { role: 'robot', content: 'beep' }] },
      'messages[1].role',
      'messages[1].role: must be one of system, developer, user, assistant, tool',
    ],
    [
      'a top-level temperature that is a string',
      { model: 'openai/x', messages, temperature: 'hot' },
      'temperature',
      'temperature: must be a number',
    ],
    [
      'a params.temperature that is a string',
      { model: 'openai/x', messages, params: { temperature: 'hot' } },
      'params.temperature',
      undefined,
    ],
    [
      'params that are not an object',
      { model: 'openai/x', messages, params: [1] },
      'params',
      'params: must be an object',
    ],
    [
      'fallbacks that are not an array',
      { model: 'openai/x', messages, fallbacks: 'openai/y' },
      'fallbacks',
      undefined,
    ],
    [
      'a fallback string without a known provider',
      { model: 'openai/x', messages, fallbacks: ['gpt-4o'] },
      'fallbacks[0]',
      'fallbacks[0]: must be "provider/model" with a known provider',
    ],
    [
      'a fallback of the wrong type',
      { model: 'openai/x', messages, fallbacks: [42] },
      'fallbacks[0]',
      undefined,
    ],
    [
      'a fallback object with an unknown provider',
      { model: 'openai/x', messages, fallbacks: [{ provider: 'acme', model: 'y' }] },
      'fallbacks[0].provider',
      undefined,
    ],
    [
      'a fallback object without a model',
      { model: 'openai/x', messages, fallbacks: ['openai/y', { provider: 'openai' }] },
      'fallbacks[1].model',
      undefined,
    ],
    [
      'a stream that is not a boolean',
      { model: 'openai/x', messages, stream: 'true' },
      'stream',
      'stream: must be a boolean',
    ],
  ])('refuses %s, naming the field', (_case, body, param, message) => {
    const error = errorOf(() => normalizeChatRequest(body));
    expect(error.code).toBe('invalid_request');
    expect(error.statusCode).toBe(400);
    expect(error.param).toBe(param);
    if (message !== undefined) expect(error.message).toBe(message);
    else expect(error.message.startsWith(`${param}: `)).toBe(true);
  });
});

describe('normalizeTextCompletionRequest', () => {
  it('reads the prompt from text', () => {
    const { request } = normalizeTextCompletionRequest({
      model: 'openai/gpt-3.5-turbo-instruct',
      text: 'Say hi',
    });
    expect(request).toEqual({ provider: 'openai', model: 'gpt-3.5-turbo-instruct', text: 'Say hi' });
  });

  it("reads the prompt from OpenAI's prompt, as a string or a list", () => {
    const { request } = normalizeTextCompletionRequest({
      model: 'openai/gpt-3.5-turbo-instruct',
      prompt: ['Say hi', 'Say bye'],
      max_tokens: 7,
    });
    expect(request).toEqual({
      provider: 'openai',
      model: 'gpt-3.5-turbo-instruct',
      text: ['Say hi', 'Say bye'],
      params: { max_tokens: 7 },
    });
  });

  it('names the field that holds a bad prompt', () => {
    expect(errorOf(() => normalizeTextCompletionRequest({ model: 'openai/x', text: 5 })).param).toBe('text');
    expect(errorOf(() => normalizeTextCompletionRequest({ model: 'openai/x', prompt: [] })).param).toBe(
      'prompt',
    );
    expect(errorOf(() => normalizeTextCompletionRequest({ model: 'openai/x', prompt: ['a', 1] })).param).toBe(
      'prompt[1]',
    );
  });

  it('refuses a stream', () => {
    const error = errorOf(() =>
      normalizeTextCompletionRequest({ model: 'openai/x', prompt: 'a', stream: true }),
    );
    expect(error.param).toBe('stream');
  });
});

describe('normalizeEmbeddingRequest', () => {
  it('reads input and passes other fields as params', () => {
    const { request, stream } = normalizeEmbeddingRequest({
      model: 'openai/text-embedding-3-small',
      input: ['one', 'two'],
      dimensions: 256,
    });
    expect(request).toEqual({
      provider: 'openai',
      model: 'text-embedding-3-small',
      input: ['one', 'two'],
      params: { dimensions: 256 },
    });
    expect(stream).toBe(false);
  });

  it('refuses a missing input, naming the field', () => {
    expect(errorOf(() => normalizeEmbeddingRequest({ model: 'openai/x' })).param).toBe('input');
  });

  it('refuses a stream', () => {
    const error = errorOf(() => normalizeEmbeddingRequest({ model: 'openai/x', input: 'hi', stream: true }));
    expect(error.param).toBe('stream');
    expect(error.message).toBe('stream: embeddings cannot be streamed');
  });
});
