import { describe, expect, it } from 'vitest';
import {
  parseFallbacks,
  resolveModelTarget,
  validateChatMessages,
  validateEmbeddingInput,
  validateModelParameters,
  validateTextInput,
} from './validate-request.js';

describe('validateChatMessages', () => {
  it('accepts a conversation of every role', () => {
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          { type: 'file', file: { file_id: 'file-1' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'look', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
      { role: 'assistant', content: 'A cat.' },
    ];
    expect(validateChatMessages(messages)).toBeUndefined();
  });

  it('refuses a value that is not an array', () => {
    expect(validateChatMessages({ role: 'user' })).toEqual({
      path: 'messages',
      message: 'must be an array of messages',
    });
  });

  it('refuses an empty array', () => {
    expect(validateChatMessages([])).toEqual({
      path: 'messages',
      message: 'must contain at least one message',
    });
  });

  it('names the message that is not an object', () => {
    expect(validateChatMessages([{ role: 'user', content: 'hi' }, 'hello'])).toMatchObject({
      path: 'messages[1]',
    });
  });

  it('names the role of a message with an unknown role', () => {
    expect(validateChatMessages([{ role: 'robot', content: 'hi' }])).toMatchObject({
      path: 'messages[0].role',
    });
  });

  it('requires content on a user message', () => {
    expect(validateChatMessages([{ role: 'user' }])).toEqual({
      path: 'messages[0].content',
      message: 'is required',
    });
  });

  it('requires content or tool_calls on an assistant message', () => {
    expect(validateChatMessages([{ role: 'assistant', content: null }])).toEqual({
      path: 'messages[0].content',
      message: 'is required unless the message has tool_calls',
    });
  });

  it('requires tool_call_id on a tool message', () => {
    expect(validateChatMessages([{ role: 'tool', content: 'done' }])).toMatchObject({
      path: 'messages[0].tool_call_id',
    });
  });

  it('names the content part with an unknown type', () => {
    const messages = [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'video' }] }];
    expect(validateChatMessages(messages)).toMatchObject({ path: 'messages[0].content[1].type' });
  });

  it('allows only text parts in a system message', () => {
    const messages = [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'x' } }] }];
    expect(validateChatMessages(messages)).toEqual({
      path: 'messages[0].content[0].type',
      message: 'only text parts are allowed here',
    });
  });

  it('names the text of a text part that is not a string', () => {
    const messages = [{ role: 'user', content: [{ type: 'text', text: 7 }] }];
    expect(validateChatMessages(messages)).toMatchObject({ path: 'messages[0].content[0].text' });
  });

  it('names the url of an image part without one', () => {
    const messages = [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }];
    expect(validateChatMessages(messages)).toMatchObject({ path: 'messages[0].content[0].image_url.url' });
  });

  it('names the data of an audio part without it', () => {
    const messages = [{ role: 'user', content: [{ type: 'input_audio', input_audio: { format: 'wav' } }] }];
    expect(validateChatMessages(messages)).toMatchObject({ path: 'messages[0].content[0].input_audio.data' });
  });

  it('names the file of a file part that is not an object', () => {
    const messages = [{ role: 'user', content: [{ type: 'file', file: 'x' }] }];
    expect(validateChatMessages(messages)).toMatchObject({ path: 'messages[0].content[0].file' });
  });

  it('names the field at fault inside a tool call', () => {
    const call = { id: 'call_1', type: 'function', function: { name: 'look', arguments: {} } };
    const messages = [
      { role: 'user', content: 'hi' },
      { role: 'assistant', tool_calls: [call] },
    ];
    expect(validateChatMessages(messages)).toEqual({
      path: 'messages[1].tool_calls[0].function.arguments',
      message: 'must be a JSON string',
    });
    const nameless = { id: 'call_1', type: 'function', function: { arguments: '{}' } };
    expect(validateChatMessages([{ role: 'assistant', tool_calls: [nameless] }])).toMatchObject({
      path: 'messages[0].tool_calls[0].function.name',
    });
    expect(validateChatMessages([{ role: 'assistant', tool_calls: [{ function: {} }] }])).toMatchObject({
      path: 'messages[0].tool_calls[0].id',
    });
  });

  it('prefixes paths with the given path', () => {
    expect(validateChatMessages([{ role: 'user' }], 'body.messages')).toMatchObject({
      path: 'body.messages[0].content',
    });
  });
});

describe('validateTextInput and validateEmbeddingInput', () => {
  it('accept a string or an array of strings', () => {
    expect(validateTextInput('Say this is a test')).toBeUndefined();
    expect(validateTextInput(['one', 'two'])).toBeUndefined();
    expect(validateEmbeddingInput('The food was delicious')).toBeUndefined();
    expect(validateEmbeddingInput(['a', 'b'])).toBeUndefined();
  });

  it('refuse an empty array or a value of another type', () => {
    expect(validateTextInput([])).toMatchObject({ path: 'text' });
    expect(validateTextInput(42, 'prompt')).toMatchObject({ path: 'prompt' });
    expect(validateEmbeddingInput([])).toMatchObject({ path: 'input' });
    expect(validateEmbeddingInput(undefined)).toMatchObject({ path: 'input' });
  });

  it('name the element that is not a string', () => {
    expect(validateTextInput(['a', 'b', 3])).toEqual({ path: 'text[2]', message: 'must be a string' });
    expect(validateEmbeddingInput(['a', null])).toEqual({ path: 'input[1]', message: 'must be a string' });
  });
});

describe('validateModelParameters', () => {
  it('accepts the documented parameters and passes unknown ones through', () => {
    const params = {
      temperature: 0.2,
      top_p: 1,
      max_tokens: 100,
      n: 1,
      seed: 42,
      stop: ['\n'],
      tools: [{ type: 'function', function: { name: 'look', parameters: { type: 'object' } } }],
      tool_choice: { type: 'function', function: { name: 'look' } },
      response_format: { type: 'json_schema', json_schema: { name: 'answer' } },
      stream_options: { include_usage: true },
      some_new_option: { anything: true },
    };
    expect(validateModelParameters(params)).toBeUndefined();
  });

  it('accepts null where OpenAI documents the parameter as nullable', () => {
    const params = { temperature: null, max_tokens: null, seed: null, stop: null, stream_options: null };
    expect(validateModelParameters(params)).toBeUndefined();
  });

  it('accepts a negative seed', () => {
    expect(validateModelParameters({ seed: -7 })).toBeUndefined();
    expect(validateModelParameters({ seed: 1.5 })).toEqual({ path: 'seed', message: 'must be an integer' });
  });

  it('refuses a numeric parameter that is not a finite number', () => {
    expect(validateModelParameters({ temperature: '0.5' })).toEqual({
      path: 'temperature',
      message: 'must be a number',
    });
    expect(validateModelParameters({ top_p: Number.NaN })).toMatchObject({ path: 'top_p' });
  });

  it('refuses an integer parameter that is fractional or negative', () => {
    expect(validateModelParameters({ max_tokens: 1.5 })).toEqual({
      path: 'max_tokens',
      message: 'must be a non-negative integer',
    });
    expect(validateModelParameters({ n: -1 })).toMatchObject({ path: 'n' });
  });

  it('names the stop element that is not a string', () => {
    expect(validateModelParameters({ stop: ['a', 1] })).toMatchObject({ path: 'stop[1]' });
  });

  it('names the tool at fault', () => {
    expect(validateModelParameters({ tools: {} })).toMatchObject({ path: 'tools' });
    expect(validateModelParameters({ tools: [{ type: 'retrieval' }] })).toMatchObject({
      path: 'tools[0].type',
    });
    const nameless = [{ type: 'function', function: { name: '' } }];
    expect(validateModelParameters({ tools: nameless })).toMatchObject({ path: 'tools[0].function.name' });
    const badSchema = [{ type: 'function', function: { name: 'f', parameters: 'object' } }];
    expect(validateModelParameters({ tools: badSchema })).toMatchObject({
      path: 'tools[0].function.parameters',
    });
  });

  it('refuses an unknown tool_choice', () => {
    expect(validateModelParameters({ tool_choice: 'sometimes' })).toMatchObject({ path: 'tool_choice' });
    expect(validateModelParameters({ tool_choice: { type: 'function' } })).toMatchObject({
      path: 'tool_choice',
    });
    expect(validateModelParameters({ tool_choice: 'required' })).toBeUndefined();
  });

  it('requires json_schema when response_format asks for it', () => {
    expect(validateModelParameters({ response_format: { type: 'json_schema' } })).toMatchObject({
      path: 'response_format.json_schema',
    });
    expect(validateModelParameters({ response_format: 'json' })).toMatchObject({
      path: 'response_format.type',
    });
  });

  it('refuses stream_options that is not an object', () => {
    expect(validateModelParameters({ stream_options: true })).toMatchObject({ path: 'stream_options' });
  });

  it('prefixes paths with the given path', () => {
    expect(validateModelParameters({ temperature: 'hot' }, 'params')).toMatchObject({
      path: 'params.temperature',
    });
  });
});

describe('resolveModelTarget', () => {
  it('splits "provider/model" at the first slash', () => {
    expect(resolveModelTarget('openrouter/meta-llama/llama-3')).toEqual({
      provider: 'openrouter',
      model: 'meta-llama/llama-3',
    });
  });

  it('takes a set provider with the model whole', () => {
    expect(resolveModelTarget('meta-llama/llama-3', 'groq')).toEqual({
      provider: 'groq',
      model: 'meta-llama/llama-3',
    });
  });

  it.each([
    [undefined, undefined, 'model', 'is required: "provider/model", e.g. "openai/gpt-4o-mini"'],
    ['', 'openai', 'model', 'is required: "provider/model", e.g. "openai/gpt-4o-mini"'],
    [
      'gpt-4o-mini',
      undefined,
      'model',
      'must name its provider, as "provider/model" (e.g. "openai/gpt-4o-mini"), or set "provider"',
    ],
    [
      'acme/gpt-4o-mini',
      undefined,
      'model',
      'unknown provider "acme"; write "provider/model" with a known provider, or set "provider"',
    ],
    ['openai/', undefined, 'model', 'must name a model after "openai/"'],
    ['gpt-4o-mini', 'acme', 'provider', 'unknown provider "acme"'],
    ['gpt-4o-mini', 7, 'provider', 'unknown provider 7'],
  ])('refuses model %j with provider %j, naming %s', (model, provider, path, message) => {
    expect(resolveModelTarget(model, provider)).toEqual({ path, message });
  });

  it('names the fields under the given path', () => {
    expect(resolveModelTarget('gpt-4o', 'acme', 'fallbacks[2]')).toMatchObject({
      path: 'fallbacks[2].provider',
    });
  });
});

describe('parseFallbacks', () => {
  it('reads strings and objects, with or without a separate provider', () => {
    expect(
      parseFallbacks([
        'anthropic/claude-3-5-haiku-latest',
        { provider: 'groq', model: 'llama-3.1-8b-instant' },
        { model: 'mistral/mistral-small-latest' },
      ]),
    ).toEqual([
      { provider: 'anthropic', model: 'claude-3-5-haiku-latest' },
      { provider: 'groq', model: 'llama-3.1-8b-instant' },
      { provider: 'mistral', model: 'mistral-small-latest' },
    ]);
  });

  it('reads an absent list as no fallbacks', () => {
    expect(parseFallbacks(undefined)).toEqual([]);
    expect(parseFallbacks(null)).toEqual([]);
  });

  it.each([
    ['openai/gpt-4o', 'fallbacks', 'must be an array'],
    [['gpt-4o'], 'fallbacks[0]', 'must be "provider/model" with a known provider'],
    [[42], 'fallbacks[0]', 'must be "provider/model" or {"provider","model"}'],
    [[null], 'fallbacks[0]', 'must be "provider/model" or {"provider","model"}'],
    [[{ provider: 'acme', model: 'y' }], 'fallbacks[0].provider', 'unknown provider "acme"'],
    [
      ['openai/y', { provider: 'openai' }],
      'fallbacks[1].model',
      'is required: "provider/model", e.g. "openai/gpt-4o-mini"',
    ],
    [
      [{ model: 'claude' }],
      'fallbacks[0].model',
      'must name its provider, as "provider/model" (e.g. "openai/claude"), or set "provider"',
    ],
  ])('refuses %j, naming %s', (value, path, message) => {
    expect(parseFallbacks(value)).toEqual({ path, message });
  });

  it('names entries under the given path', () => {
    expect(parseFallbacks([42], 'params.fallbacks')).toMatchObject({ path: 'params.fallbacks[0]' });
  });
});
