import { GatewayError } from '@bifrost/core';
import { describe, expect, it } from 'vitest';
import { integrationFixture } from '../testing/integration-fixture.js';
import { genAIToChatRequest } from './genai-to-chat-request.js';

const hello = { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] };

function errorOf(call: () => unknown): GatewayError {
  try {
    call();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('genAIToChatRequest', () => {
  it('translates the documented function-calling round trip with its thought signature', () => {
    const request = genAIToChatRequest(
      integrationFixture('genai', 'function-call-round-trip-request'),
      'gemini-2.5-flash',
    );

    expect(request).toEqual({
      provider: 'gemini',
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'system', content: 'You are a helpful weather assistant.' },
        { role: 'user', content: "What's the temperature in London?" },
        {
          role: 'assistant',
          content: null,
          reasoning: 'The user wants the temperature in London.',
          reasoning_details: [
            { type: 'reasoning.text', text: 'The user wants the temperature in London.', index: 0 },
          ],
          tool_calls: [
            {
              id: 'call_get_current_temperature_0',
              type: 'function',
              function: { name: 'get_current_temperature', arguments: '{"location":"London"}' },
              extra_content: {
                google: {
                  thought_signature:
                    'CiwBVKhc7nRyTi3HmggPD9iQiRc261f5jwuMdw3H/itDH0emsb9ZVo3Nwx9p6wpsAVSoXO...',
                },
              },
            },
          ],
        },
        {
          role: 'tool',
          tool_call_id: 'call_get_current_temperature_0',
          content: '{"temperature":25,"unit":"Celsius"}',
        },
      ],
      params: {
        temperature: 0.5,
        top_p: 0.9,
        top_k: 40,
        max_tokens: 800,
        n: 1,
        stop: ['Title'],
        reasoning_effort: 'low',
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_current_temperature',
              description: 'Gets the current temperature for a given location.',
              parameters: {
                type: 'object',
                properties: {
                  location: { type: 'string', description: 'The city name, e.g. San Francisco' },
                },
                required: ['location'],
              },
            },
          },
        ],
        tool_choice: { type: 'function', function: { name: 'get_current_temperature' } },
      },
    });
  });

  it('keeps the ids the SDK gives calls and responses, and routes a prefixed model', () => {
    const request = genAIToChatRequest(
      {
        contents: [
          { role: 'model', parts: [{ functionCall: { id: 'call_9', name: 'f', args: {} } }] },
          {
            role: 'user',
            parts: [{ functionResponse: { id: 'call_9', name: 'f', response: { ok: true } } }],
          },
        ],
      },
      'openai/gpt-4o-mini',
    );

    expect(request.provider).toBe('openai');
    expect(request.model).toBe('gpt-4o-mini');
    expect(request.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_9', content: '{"ok":true}' });
  });

  it('turns inline images and JSON output settings into OpenAI parts and response_format', () => {
    const request = genAIToChatRequest(
      {
        contents: [
          {
            parts: [{ text: 'Describe' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }],
          },
        ],
        generationConfig: {
          responseMimeType: 'application/json',
          responseSchema: { type: 'OBJECT', properties: { caption: { type: 'STRING' } } },
        },
      },
      'gemini-2.0-flash',
    );

    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Describe' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ]);
    expect(request.params?.response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'response',
        schema: { type: 'object', properties: { caption: { type: 'string' } } },
      },
    });
  });

  it.each([
    ['no contents', {}, 'gemini-2.0-flash', 'contents: must be an array'],
    [
      'a bad role',
      { contents: [{ role: 'system', parts: [] }] },
      'gemini-2.0-flash',
      'contents[0].role: must be "user" or "model"',
    ],
    [
      'a response to no call',
      { contents: [{ parts: [{ functionResponse: { name: 'f', response: {} } }] }] },
      'gemini-2.0-flash',
      'contents[0].parts[0].functionResponse: answers no earlier functionCall named "f"',
    ],
    [
      'a built-in tool',
      { ...hello, tools: [{ googleSearch: {} }] },
      'gemini-2.0-flash',
      `tools[0].googleSearch: Gemini's built-in tool "googleSearch" cannot be routed through the gateway; use functionDeclarations`,
    ],
    ['an empty model', hello, '', 'model: must be a non-empty string'],
  ])('refuses %s, naming the field', (_name, body, model, message) => {
    const error = errorOf(() => genAIToChatRequest(body, model));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe(message);
  });
});
