import type { ChatMessage, ChatRequest } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { toGeminiRequest } from './convert-to-gemini-request.js';

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_current_temperature',
    description: 'Gets the current temperature for a given location.',
    parameters: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      properties: {
        location: { type: 'string', description: 'The city name, e.g. San Francisco' },
        unit: { type: ['string', 'null'], enum: ['celsius', 'fahrenheit'] },
        tags: { type: 'array', items: { type: 'string', const: 'x', additionalProperties: false } },
      },
      required: ['location'],
    },
  },
};

function translate(messages: ChatMessage[], params: ChatRequest['params'] = {}, model = 'gemini-2.5-flash') {
  return toGeminiRequest({ provider: 'gemini', model, messages, params }, 'gemini');
}

describe('toGeminiRequest', () => {
  it('lifts system and developer messages into systemInstruction and names the roles user and model', () => {
    const { body, warnings } = translate([
      { role: 'system', content: 'You are a cat.' },
      { role: 'developer', content: [{ type: 'text', text: 'Your name is Neko.' }] },
      { role: 'user', content: 'Hello there' },
      { role: 'assistant', content: 'Meow.' },
      { role: 'user', content: 'Good cat.' },
    ]);
    expect(body).toEqual({
      systemInstruction: { parts: [{ text: 'You are a cat.' }, { text: 'Your name is Neko.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hello there' }] },
        { role: 'model', parts: [{ text: 'Meow.' }] },
        { role: 'user', parts: [{ text: 'Good cat.' }] },
      ],
    });
    expect(warnings).toEqual([]);
  });

  it('sends data URLs inline and other URLs as fileData with a MIME type guessed from the extension', () => {
    const { body, warnings } = translate([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these.' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/photos/cat.JPG?size=large' } },
          { type: 'image_url', image_url: { url: 'https://example.com/render', detail: 'high' } },
          { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
        ],
      },
    ]);
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'Compare these.' },
          { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
          { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/photos/cat.JPG?size=large' } },
          { fileData: { fileUri: 'https://example.com/render' } },
          { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
          { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
        ],
      },
    ]);
    expect(warnings).toEqual([
      'gemini ignores image_url.detail',
      'gemini could not tell the MIME type of https://example.com/render from its extension; sent without one',
    ]);
  });

  it('declares tools with a schema Gemini accepts and warns about the keywords it dropped', () => {
    const { body, warnings } = translate([{ role: 'user', content: 'Weather?' }], {
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_current_temperature' } },
    });
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_current_temperature',
            description: 'Gets the current temperature for a given location.',
            parameters: {
              type: 'object',
              properties: {
                location: { type: 'string', description: 'The city name, e.g. San Francisco' },
                unit: { nullable: true, type: 'string', enum: ['celsius', 'fahrenheit'] },
                tags: { type: 'array', items: { type: 'string', enum: ['x'] } },
              },
              required: ['location'],
            },
          },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_current_temperature'] },
    });
    expect(warnings).toEqual([
      'gemini does not accept $schema, additionalProperties in tool definitions; dropped',
    ]);
  });

  it.each([
    ['none', { mode: 'NONE' }],
    ['auto', { mode: 'AUTO' }],
    ['required', { mode: 'ANY' }],
  ] as const)('maps tool_choice %s', (choice, config) => {
    const { body } = translate([{ role: 'user', content: 'x' }], { tool_choice: choice });
    expect(body.toolConfig).toEqual({ functionCallingConfig: config });
  });

  it('replays tool calls with their thought signatures and answers them with functionResponse parts', () => {
    const { body, warnings } = translate([
      { role: 'user', content: 'Weather in London and Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_0',
            type: 'function',
            function: { name: 'get_current_temperature', arguments: '{"location":"London"}' },
            extra_content: { google: { thought_signature: 'sig-London' } },
          },
          {
            id: 'fc-paris-7',
            type: 'function',
            function: { name: 'get_current_temperature', arguments: '{"location":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_0', content: '{"temperature":15,"unit":"celsius"}' },
      { role: 'tool', tool_call_id: 'fc-paris-7', content: [{ type: 'text', text: '18 degrees' }] },
      { role: 'user', content: 'Thanks' },
    ]);
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in London and Paris?' }] },
      {
        role: 'model',
        parts: [
          {
            functionCall: { name: 'get_current_temperature', args: { location: 'London' } },
            thoughtSignature: 'sig-London',
          },
          {
            functionCall: { name: 'get_current_temperature', args: { location: 'Paris' }, id: 'fc-paris-7' },
          },
        ],
      },
      {
        role: 'user',
        parts: [
          {
            functionResponse: {
              name: 'get_current_temperature',
              response: { temperature: 15, unit: 'celsius' },
            },
          },
          {
            functionResponse: {
              name: 'get_current_temperature',
              response: { content: '18 degrees' },
              id: 'fc-paris-7',
            },
          },
        ],
      },
      { role: 'user', parts: [{ text: 'Thanks' }] },
    ]);
    expect(warnings).toEqual([]);
  });

  it('replays thoughts as thought parts and an answer signature on the first text part', () => {
    const { body } = translate([
      { role: 'user', content: 'How many primes below 10?' },
      {
        role: 'assistant',
        content: 'Four.',
        reasoning: 'Listing them.',
        reasoning_details: [
          { type: 'reasoning.text', text: 'Listing them.', index: 0 },
          { type: 'reasoning.text', text: '', signature: 'sig-answer', index: 1 },
        ],
      },
      { role: 'user', content: 'And below 20?' },
    ]);
    expect((body.contents as unknown[])[1]).toEqual({
      role: 'model',
      parts: [
        { text: 'Listing them.', thought: true },
        { text: 'Four.', thoughtSignature: 'sig-answer' },
      ],
    });
  });

  it('leaves out an assistant turn with nothing in it, which Gemini would refuse', () => {
    const { body } = translate([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'b' },
    ]);
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'a' }] },
      { role: 'user', parts: [{ text: 'b' }] },
    ]);
  });

  it('warns about a tool result whose call it cannot find', () => {
    const { body, warnings } = translate([{ role: 'tool', tool_call_id: 'lost', content: 'done' }]);
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'lost', id: 'lost', response: { content: 'done' } } }],
      },
    ]);
    expect(warnings).toEqual(['gemini: no earlier tool call has id lost; its result is named after the id']);
  });

  it('refuses tool-call arguments that are not a JSON object', () => {
    expect(() =>
      translate([
        {
          role: 'assistant',
          tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'f', arguments: '[1]' } }],
        },
      ]),
    ).toThrow('messages[0]: tool call call_0 has arguments that are not a JSON object');
  });

  it('puts the generation options in generationConfig and warns about the rest', () => {
    const { body, warnings } = translate([{ role: 'user', content: 'x' }], {
      temperature: 0.4,
      top_p: 0.9,
      top_k: 20,
      max_tokens: 100,
      max_completion_tokens: 200,
      stop: 'END',
      n: 2,
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: { type: 'object', additionalProperties: false } },
      },
      reasoning_effort: 'low',
      logit_bias: { '1': 1 },
      parallel_tool_calls: false,
      user: 'u-1',
      stream_options: { include_usage: true },
      safety_settings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }],
    });
    expect(body.generationConfig).toEqual({
      temperature: 0.4,
      topP: 0.9,
      topK: 20,
      maxOutputTokens: 200,
      stopSequences: ['END'],
      candidateCount: 2,
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object', additionalProperties: false },
      thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 },
    });
    expect(body.safetySettings).toEqual([{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }]);
    expect(warnings).toEqual([
      'gemini ignores logit_bias',
      'gemini ignores parallel_tool_calls',
      'gemini ignores user',
    ]);
  });

  it('asks Gemini 3 models for a thinking level and JSON mode for json_object', () => {
    const { body } = translate(
      [{ role: 'user', content: 'x' }],
      { reasoning_effort: 'high', response_format: { type: 'json_object' } },
      'gemini-3-pro-preview',
    );
    expect(body.generationConfig).toEqual({
      responseMimeType: 'application/json',
      thinkingConfig: { includeThoughts: true, thinkingLevel: 'high' },
    });
  });

  it('warns once that cache_control has no Gemini equivalent', () => {
    const { warnings } = translate([
      { role: 'system', content: [{ type: 'text', text: 'a', cache_control: { type: 'ephemeral' } }] },
      { role: 'user', content: [{ type: 'text', text: 'b', cache_control: { type: 'ephemeral' } }] },
    ]);
    expect(warnings).toEqual(['gemini ignores cache_control (use Gemini context caching instead)']);
  });
});
