import { GatewayError } from '@bifrost/core';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  toChatRequest,
  toEmbeddingRequest,
  toListModelsProvider,
  toTextCompletionRequest,
} from './convert-from-grpc-request.js';
import type { GrpcChatRequest } from './grpc-request.js';
import { bifrostServiceName, loadBifrostProto } from './load-bifrost-proto.js';
import { jsonToStruct, jsonToValue } from './struct-value.js';

const hello = [{ role: 'user', content: 'Hello' }];

/** The error a conversion throws, so tests can assert on its fields. */
function failure(convert: () => unknown): GatewayError {
  try {
    convert();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected the conversion to throw');
}

describe('toChatRequest', () => {
  it('splits "provider/model" into provider and model', () => {
    expect(toChatRequest({ model: 'openai/gpt-4o-mini', messages: hello })).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      messages: hello,
    });
  });

  it('keeps everything after the first slash as the model', () => {
    const request = toChatRequest({ model: 'openrouter/meta-llama/llama-3', messages: hello });
    expect(request).toMatchObject({ provider: 'openrouter', model: 'meta-llama/llama-3' });
  });

  it('takes a separate provider with a bare model', () => {
    const request = toChatRequest({ provider: 'anthropic', model: 'claude-3-5-haiku', messages: hello });
    expect(request).toMatchObject({ provider: 'anthropic', model: 'claude-3-5-haiku' });
  });

  it('turns content parts into the content array', () => {
    const request = toChatRequest({
      model: 'openai/gpt-4o',
      messages: [
        {
          role: 'user',
          content_parts: [
            { type: 'text', text: 'What is this?' },
            { image_url: { url: 'https://example.com/a.png' } },
          ],
        },
      ],
    });
    expect(request.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
      ],
    });
  });

  it('carries assistant tool calls and tool results', () => {
    const call = {
      id: 'call_1',
      type: 'function',
      function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
    };
    const request = toChatRequest({
      model: 'openai/gpt-4o',
      messages: [
        { role: 'assistant', tool_calls: [call] },
        { role: 'tool', tool_call_id: 'call_1', content: '18C' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'assistant', tool_calls: [call] },
      { role: 'tool', tool_call_id: 'call_1', content: '18C' },
    ]);
  });

  it('turns params, tools and passthrough parameters into model parameters', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const request = toChatRequest({
      model: 'openai/gpt-4o',
      messages: hello,
      params: {
        temperature: 0,
        max_tokens: 64,
        stop: ['END'],
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: jsonToStruct(schema) } }],
        tool_choice: jsonToValue('auto'),
        response_format: jsonToStruct({ type: 'json_object' }),
        extra_params: jsonToStruct({ store: true, metadata: { team: 'search' } }),
      },
    });
    expect(request.params).toEqual({
      temperature: 0,
      max_tokens: 64,
      stop: 'END',
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: schema } }],
      tool_choice: 'auto',
      response_format: { type: 'json_object' },
      store: true,
      metadata: { team: 'search' },
    });
  });

  it('reads parameters as the server decodes them from the wire', () => {
    const method = (loadBifrostProto()[bifrostServiceName] as ServiceDefinition).ChatCompletion!;
    const schema = { type: 'object', properties: { city: { type: 'string' } }, strict: true, tags: null };
    const message = {
      model: 'openai/gpt-4o',
      messages: hello,
      params: {
        temperature: 0,
        seed: 42,
        logit_bias: { '50256': -100 },
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: jsonToStruct(schema) } }],
        tool_choice: jsonToValue({ type: 'function', function: { name: 'get_weather' } }),
      },
    };
    const decoded = method.requestDeserialize(method.requestSerialize(message)) as GrpcChatRequest;
    expect(toChatRequest(decoded).params).toEqual({
      temperature: 0,
      seed: 42,
      logit_bias: { '50256': -100 },
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: schema } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
  });

  it('reads fallbacks written either way', () => {
    const request = toChatRequest({
      model: 'openai/gpt-4o',
      messages: hello,
      fallbacks: [
        { model: 'anthropic/claude-3-5-haiku' },
        { provider: '', model: 'mistral/mistral-small' },
        { provider: 'groq', model: 'llama-3.1-8b' },
      ],
    });
    expect(request.fallbacks).toEqual([
      { provider: 'anthropic', model: 'claude-3-5-haiku' },
      { provider: 'mistral', model: 'mistral-small' },
      { provider: 'groq', model: 'llama-3.1-8b' },
    ]);
  });

  it('says how to name the provider of a fallback without one', () => {
    const error = failure(() =>
      toChatRequest({ model: 'openai/gpt-4o', messages: hello, fallbacks: [{ model: 'claude' }] }),
    );
    expect(error.message).toBe(
      'fallbacks[0].model: must name its provider, as "provider/model" (e.g. "openai/claude"), or set "provider"',
    );
  });
});

describe('invalid requests', () => {
  const cases: { name: string; request: GrpcChatRequest; param: string }[] = [
    { name: 'a missing model', request: { messages: hello }, param: 'model' },
    {
      name: 'an unknown provider prefix',
      request: { model: 'nope/gpt-4o', messages: hello },
      param: 'model',
    },
    { name: 'a model with no provider', request: { model: 'gpt-4o', messages: hello }, param: 'model' },
    {
      name: 'an unknown provider field',
      request: { provider: 'nope', model: 'gpt-4o', messages: hello },
      param: 'provider',
    },
    { name: 'no messages', request: { model: 'openai/gpt-4o' }, param: 'messages' },
    {
      name: 'an unknown role',
      request: { model: 'openai/gpt-4o', messages: [{ role: 'robot', content: 'hi' }] },
      param: 'messages[0].role',
    },
    {
      name: 'a user message without content',
      request: { model: 'openai/gpt-4o', messages: [{ role: 'user' }] },
      param: 'messages[0].content',
    },
    {
      name: 'an image part on a system message',
      request: {
        model: 'openai/gpt-4o',
        messages: [{ role: 'system', content_parts: [{ image_url: { url: 'https://example.com/a.png' } }] }],
      },
      param: 'messages[0].content_parts[0].type',
    },
    {
      name: 'a tool with no name',
      request: {
        model: 'openai/gpt-4o',
        messages: hello,
        params: { tools: [{ type: 'function', function: {} }] },
      },
      param: 'params.tools[0].function.name',
    },
    {
      name: 'a tool choice of the wrong kind',
      request: { model: 'openai/gpt-4o', messages: hello, params: { tool_choice: jsonToValue('sometimes') } },
      param: 'params.tool_choice',
    },
    {
      name: 'a fallback without a provider',
      request: { model: 'openai/gpt-4o', messages: hello, fallbacks: [{ model: 'claude' }] },
      param: 'fallbacks[0].model',
    },
  ];

  for (const { name, request, param } of cases) {
    it(`rejects ${name} naming ${param}`, () => {
      const error = failure(() => toChatRequest(request));
      expect(error.code).toBe('invalid_request');
      expect(error.param).toBe(param);
      expect(error.message.startsWith(`${param}: `)).toBe(true);
    });
  }

  it('rejects a passthrough parameter of the wrong type', () => {
    const error = failure(() =>
      toChatRequest({
        model: 'openai/gpt-4o',
        messages: hello,
        params: { extra_params: jsonToStruct({ n: 'two' }) },
      }),
    );
    expect(error.param).toBe('params.n');
  });
});

describe('text, embedding and model-list requests', () => {
  it('sends one prompt as a string and several as an array', () => {
    expect(toTextCompletionRequest({ model: 'openai/gpt-3.5-turbo-instruct', text: ['Say hi'] })).toEqual({
      provider: 'openai',
      model: 'gpt-3.5-turbo-instruct',
      text: 'Say hi',
    });
    expect(toEmbeddingRequest({ model: 'openai/text-embedding-3-small', input: ['a', 'b'] }).input).toEqual([
      'a',
      'b',
    ]);
  });

  it('rejects an empty prompt and empty input naming the field', () => {
    expect(failure(() => toTextCompletionRequest({ model: 'openai/x' })).param).toBe('text');
    expect(failure(() => toEmbeddingRequest({ model: 'openai/x' })).param).toBe('input');
  });

  it('reads the provider filter of a model listing', () => {
    expect(toListModelsProvider({})).toBeUndefined();
    expect(toListModelsProvider({ provider: 'openai' })).toBe('openai');
    expect(failure(() => toListModelsProvider({ provider: 'nope' })).param).toBe('provider');
  });
});
