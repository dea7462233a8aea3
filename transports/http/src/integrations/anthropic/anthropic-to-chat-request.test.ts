import { GatewayError } from '@bifrost/core';
import { describe, expect, it } from 'vitest';
import { integrationFixture } from '../testing/integration-fixture.js';
import { anthropicToChatRequest } from './anthropic-to-chat-request.js';

const hello = {
  model: 'claude-3-5-haiku-latest',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'Hi' }],
};

function errorOf(call: () => unknown): GatewayError {
  try {
    call();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('anthropicToChatRequest', () => {
  it('translates the documented tool round trip with caching and signed thinking', () => {
    const { request, stream } = anthropicToChatRequest(
      integrationFixture('anthropic', 'tool-round-trip-request'),
    );

    expect(stream).toBe(false);
    expect(request).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      messages: [
        {
          role: 'system',
          content: [
            { type: 'text', text: 'You are a weather assistant.', cache_control: { type: 'ephemeral' } },
          ],
        },
        { role: 'user', content: "What's the weather like in San Francisco?" },
        {
          role: 'assistant',
          content: "I'll check the weather for you.",
          tool_calls: [
            {
              id: 'toolu_01A09q90qw90lq917835lq9',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA"}' },
            },
          ],
          reasoning: 'The user wants the weather in San Francisco. I should call get_weather.',
          reasoning_details: [
            {
              type: 'reasoning.text',
              text: 'The user wants the weather in San Francisco. I should call get_weather.',
              signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...',
              index: 0,
            },
            {
              type: 'reasoning.encrypted',
              data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP...',
              index: 1,
            },
          ],
        },
        {
          role: 'tool',
          tool_call_id: 'toolu_01A09q90qw90lq917835lq9',
          content: [{ type: 'text', text: '15 degrees' }],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Is that warm?' },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==' } },
            {
              type: 'image_url',
              image_url: {
                url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
              },
            },
          ],
        },
      ],
      params: {
        max_tokens: 1024,
        stop: ['\n\nHuman:'],
        user: '13803d75-b4b5-4c3e-b2a2-6f21399b021b',
        thinking: { type: 'enabled', budget_tokens: 2000 },
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Get the current weather in a given location',
              parameters: {
                type: 'object',
                properties: {
                  location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
                },
                required: ['location'],
              },
            },
            cache_control: { type: 'ephemeral' },
          },
        ],
        tool_choice: 'auto',
        parallel_tool_calls: false,
      },
    });
  });

  it('sends a prefixed model to its provider, turning thinking into reasoning_effort', () => {
    const { request } = anthropicToChatRequest({
      ...hello,
      model: 'openai/gpt-4o-mini',
      thinking: { type: 'enabled', budget_tokens: 4096 },
    });

    expect(request.provider).toBe('openai');
    expect(request.model).toBe('gpt-4o-mini');
    expect(request.params).toEqual({ max_tokens: 64, reasoning_effort: 'medium' });
  });

  it('asks for usage in streams and passes unknown fields through', () => {
    const { request, stream } = anthropicToChatRequest({
      ...hello,
      stream: true,
      top_k: 5,
      temperature: 0.3,
    });

    expect(stream).toBe(true);
    expect(request.params).toEqual({
      max_tokens: 64,
      top_k: 5,
      temperature: 0.3,
      stream_options: { include_usage: true },
    });
  });

  it.each([
    [{ type: 'any' }, 'required'],
    [{ type: 'none' }, 'none'],
    [
      { type: 'tool', name: 'get_weather' },
      { type: 'function', function: { name: 'get_weather' } },
    ],
  ])('maps tool_choice %j', (toolChoice, expected) => {
    expect(anthropicToChatRequest({ ...hello, tool_choice: toolChoice }).request.params?.tool_choice).toEqual(
      expected,
    );
  });

  it('keeps a document as a file part and cache markers on parts', () => {
    const { request } = anthropicToChatRequest({
      ...hello,
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              title: 'report.pdf',
              source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' },
              cache_control: { type: 'ephemeral', ttl: '1h' },
            },
          ],
        },
      ],
    });

    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          {
            type: 'file',
            file: { file_data: 'data:application/pdf;base64,JVBERi0x', filename: 'report.pdf' },
            cache_control: { type: 'ephemeral', ttl: '1h' },
          },
        ],
      },
    ]);
  });

  it.each([
    ['a missing max_tokens', { ...hello, max_tokens: undefined }, 'max_tokens: is required'],
    ['a missing model', { ...hello, model: undefined }, 'model: must be a non-empty string'],
    ['empty messages', { ...hello, messages: [] }, 'messages: must contain at least one message'],
    [
      'a bad role',
      { ...hello, messages: [{ role: 'system', content: 'x' }] },
      'messages[0].role: must be "user" or "assistant"',
    ],
    [
      'a thinking block in a user turn',
      { ...hello, messages: [{ role: 'user', content: [{ type: 'thinking', thinking: 'x' }] }] },
      'messages[0].content[0].type: must be one of text, image, document, tool_result in a user turn',
    ],
    [
      'a server tool',
      { ...hello, tools: [{ type: 'web_search_20250305', name: 'web_search' }] },
      `tools[0].type: Anthropic's server tool "web_search_20250305" cannot be routed through the gateway; define a custom tool with input_schema`,
    ],
  ])('refuses %s, naming the field', (_name, body, message) => {
    const error = errorOf(() => anthropicToChatRequest(body));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe(message);
  });

  it('reads a count_tokens body, which has no max_tokens', () => {
    const { request } = anthropicToChatRequest(
      { ...hello, max_tokens: undefined },
      { requireMaxTokens: false },
    );
    expect(request.params).toBeUndefined();
  });
});
