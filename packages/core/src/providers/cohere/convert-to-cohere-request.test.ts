import type { ChatRequest } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { toCohereRequest } from './convert-to-cohere-request.js';

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

function request(overrides: Partial<ChatRequest>): ChatRequest {
  return {
    provider: 'cohere',
    model: 'command-a-03-2025',
    messages: [{ role: 'user', content: 'Hi' }],
    ...overrides,
  };
}

describe('toCohereRequest', () => {
  it('maps generation parameters to their Cohere names', () => {
    const { body, warnings } = toCohereRequest(
      request({
        params: {
          temperature: 0.2,
          max_completion_tokens: 100,
          stop: 'END',
          seed: 7,
          frequency_penalty: 0.1,
          presence_penalty: 0.3,
          top_p: 0.9,
          top_k: 40,
          response_format: { type: 'json_schema', json_schema: { name: 'city', schema: { type: 'object' } } },
          n: 1,
        },
      }),
    );
    expect(body).toEqual({
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.2,
      max_tokens: 100,
      stop_sequences: ['END'],
      seed: 7,
      frequency_penalty: 0.1,
      presence_penalty: 0.3,
      p: 0.9,
      k: 40,
      response_format: { type: 'json_object', json_schema: { type: 'object' } },
    });
    expect(warnings).toEqual([]);
  });

  it('warns about each OpenAI option Cohere cannot honour instead of sending it', () => {
    const { body, warnings } = toCohereRequest(
      request({
        params: { n: 2, logit_bias: { '1': 2 }, logprobs: true, parallel_tool_calls: false, user: 'u-1' },
      }),
    );
    expect(body).toEqual({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hi' }] });
    expect(warnings).toEqual([
      'cohere ignores n',
      'cohere ignores logit_bias',
      'cohere ignores logprobs',
      'cohere ignores parallel_tool_calls',
      'cohere ignores user',
    ]);
  });

  it('translates every role, images by URL and by data URL, and thinking on replay', () => {
    const { body } = toCohereRequest(
      request({
        messages: [
          { role: 'developer', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            ],
          },
          { role: 'assistant', content: 'A cat.', reasoning: 'Whiskers, so a cat.' },
          { role: 'user', content: 'Thanks' },
        ],
      }),
    );
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Whiskers, so a cat.' },
          { type: 'text', text: 'A cat.' },
        ],
      },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('sends tool calls back with the text beside them as tool_plan, and tool results by call id', () => {
    const { body } = toCohereRequest(
      request({
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: 'I will look it up.',
            tool_calls: [
              {
                id: 'get_weather_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'get_weather_1', content: '{"temp":21}' },
        ],
        params: { tools: [weatherTool], tool_choice: 'required' },
      }),
    );
    expect(body).toEqual({
      model: 'command-a-03-2025',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          tool_plan: 'I will look it up.',
          tool_calls: [
            {
              id: 'get_weather_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'get_weather_1', content: '{"temp":21}' },
      ],
      tools: [weatherTool],
      tool_choice: 'REQUIRED',
    });
  });

  it('forces one named tool by offering only that tool, with REQUIRED', () => {
    const other = { type: 'function' as const, function: { name: 'get_time' } };
    const { body } = toCohereRequest(
      request({
        params: {
          tools: [weatherTool, other],
          tool_choice: { type: 'function', function: { name: 'get_time' } },
        },
      }),
    );
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
    ]);
    expect(body.tool_choice).toBe('REQUIRED');
  });

  it('sends tool_choice none as NONE and leaves auto out', () => {
    expect(
      toCohereRequest(request({ params: { tools: [weatherTool], tool_choice: 'none' } })).body.tool_choice,
    ).toBe('NONE');
    expect(
      toCohereRequest(request({ params: { tools: [weatherTool], tool_choice: 'auto' } })).body,
    ).not.toHaveProperty('tool_choice');
  });

  it('turns reasoning_effort into a thinking budget', () => {
    expect(toCohereRequest(request({ params: { reasoning_effort: 'low' } })).body.thinking).toEqual({
      type: 'enabled',
      token_budget: 2048,
    });
  });

  it('refuses content Cohere cannot read', () => {
    expect(() =>
      toCohereRequest(
        request({
          messages: [
            { role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AA', format: 'wav' } }] },
          ],
        }),
      ),
    ).toThrow('cohere cannot read input_audio content');
  });
});
