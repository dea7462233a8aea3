import type { ChatRequest } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { toOllamaChatRequest } from './convert-to-ollama-request.js';

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_current_weather',
    description: 'Get the current weather for a location',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

function request(overrides: Partial<ChatRequest>): ChatRequest {
  return { provider: 'ollama', model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }], ...overrides };
}

describe('toOllamaChatRequest', () => {
  it('moves generation parameters into options under their Ollama names', () => {
    const { body, warnings } = toOllamaChatRequest(
      request({
        params: {
          temperature: 0,
          top_p: 0.9,
          top_k: 20,
          seed: 101,
          max_tokens: 100,
          stop: ['\n', 'user:'],
          presence_penalty: 1.5,
          frequency_penalty: 1,
          keep_alive: '10m',
          response_format: { type: 'json_object' },
          reasoning_effort: 'high',
        },
      }),
    );
    expect(body).toEqual({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'Hi' }],
      options: {
        temperature: 0,
        top_p: 0.9,
        top_k: 20,
        seed: 101,
        num_predict: 100,
        stop: ['\n', 'user:'],
        presence_penalty: 1.5,
        frequency_penalty: 1,
      },
      keep_alive: '10m',
      format: 'json',
      think: 'high',
    });
    expect(warnings).toEqual([]);
  });

  it('sends a JSON schema response format as format', () => {
    const schema = { type: 'object', properties: { age: { type: 'integer' } }, required: ['age'] };
    expect(
      toOllamaChatRequest(
        request({ params: { response_format: { type: 'json_schema', json_schema: { name: 'a', schema } } } }),
      ).body.format,
    ).toEqual(schema);
  });

  it('warns about each OpenAI option Ollama cannot honour instead of sending it', () => {
    const { body, warnings } = toOllamaChatRequest(
      request({
        params: { n: 2, logit_bias: { '1': 1 }, user: 'u', tools: [weatherTool], tool_choice: 'required' },
      }),
    );
    expect(body).toEqual({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [weatherTool],
    });
    expect(warnings).toEqual([
      'ollama ignores n',
      'ollama ignores logit_bias',
      'ollama ignores user',
      'ollama ignores tool_choice',
    ]);
  });

  it('honours tool_choice none by offering no tools', () => {
    expect(
      toOllamaChatRequest(request({ params: { tools: [weatherTool], tool_choice: 'none' } })).body,
    ).not.toHaveProperty('tools');
  });

  it('sends base64 data-URL images and skips remote image URLs with a warning', () => {
    const { body, warnings } = toOllamaChatRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what is in this image?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
              { type: 'image_url', image_url: { url: 'https://example.com/pig.png' } },
            ],
          },
        ],
      }),
    );
    expect(body.messages).toEqual([
      { role: 'user', content: 'what is in this image?', images: ['iVBORw0KGgo='] },
    ]);
    expect(warnings).toEqual(['ollama takes images only as base64 data URLs; skipped an image URL']);
  });

  it('replays tool calls with object arguments and names tool results after their call', () => {
    const { body } = toOllamaChatRequest(
      request({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: null,
            reasoning: 'Need the weather tool.',
            tool_calls: [
              {
                id: 'call_0',
                type: 'function',
                function: { name: 'get_current_weather', arguments: '{"location":"Paris"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_0', content: '21 degrees' },
        ],
      }),
    );
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: '',
        thinking: 'Need the weather tool.',
        tool_calls: [{ function: { name: 'get_current_weather', arguments: { location: 'Paris' } } }],
      },
      { role: 'tool', content: '21 degrees', tool_name: 'get_current_weather' },
    ]);
  });

  it('refuses replayed tool arguments that are not a JSON object', () => {
    expect(() =>
      toOllamaChatRequest(
        request({
          messages: [
            {
              role: 'assistant',
              tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'f', arguments: '[1' } }],
            },
          ],
        }),
      ),
    ).toThrow('ollama needs tool call arguments as a JSON object');
  });
});
