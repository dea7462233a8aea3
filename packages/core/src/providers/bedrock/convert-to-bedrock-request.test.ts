import type { ChatRequest } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { convertToBedrockRequest } from './convert-to-bedrock-request.js';

const claude = {
  provider: 'bedrock' as const,
  model: 'anthropic.claude-3-7-sonnet-20250219-v1:0',
  isClaude: true,
};
const nova = { provider: 'bedrock' as const, model: 'amazon.nova-pro-v1:0', isClaude: false };
const pngBase64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function convert(request: Partial<ChatRequest>, context = claude) {
  return convertToBedrockRequest(
    { provider: 'bedrock', model: context.model, messages: [], ...request },
    context,
  );
}

describe('convertToBedrockRequest', () => {
  it('lifts system and developer messages into system blocks with cache points after marked parts', () => {
    const { body, warnings } = convert({
      messages: [
        { role: 'system', content: 'You are terse.' },
        {
          role: 'developer',
          content: [{ type: 'text', text: 'Long policy…', cache_control: { type: 'ephemeral' } }],
        },
        { role: 'user', content: 'Hi' },
      ],
      params: { max_tokens: 100, temperature: 0.3, top_p: 0.9, stop: 'END' },
    });
    expect(body).toEqual({
      system: [{ text: 'You are terse.' }, { text: 'Long policy…' }, { cachePoint: { type: 'default' } }],
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      inferenceConfig: { maxTokens: 100, temperature: 0.3, topP: 0.9, stopSequences: ['END'] },
    });
    expect(warnings).toEqual([]);
  });

  it('sends data-URL images as bytes, s3 URLs as locations, and warns about remote URLs', () => {
    const { body, warnings } = convert({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${pngBase64}` } },
            {
              type: 'image_url',
              image_url: { url: 's3://bucket/photo.JPG' },
              cache_control: { type: 'ephemeral', ttl: '1h' },
            },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          ],
        },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { text: 'What is this?' },
          { image: { format: 'png', source: { bytes: pngBase64 } } },
          { image: { format: 'jpeg', source: { s3Location: { uri: 's3://bucket/photo.JPG' } } } },
          { cachePoint: { type: 'default', ttl: '1h' } },
        ],
      },
    ]);
    expect(warnings).toEqual([
      'bedrock needs image bytes: an image given by URL was left out (send a base64 data URL)',
    ]);
  });

  it('sends a PDF file as a document block with a Converse-safe name', () => {
    const { body } = convert({
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'file',
              file: { filename: 'q3_report.v2.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' },
            },
          ],
        },
      ],
    });
    expect(body.messages[0]!.content).toEqual([
      { document: { format: 'pdf', name: 'q3 report v2', source: { bytes: 'JVBERi0=' } } },
    ]);
  });

  it('replays reasoning, text and tool calls, and merges consecutive tool results into one user turn', () => {
    const { body } = convert({
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: 'Checking both.',
          reasoning_details: [
            { type: 'reasoning.text', text: 'Two cities.', signature: 'sig-1', index: 0 },
            { type: 'reasoning.encrypted', data: 'cmVkYWN0ZWQ=', index: 1 },
          ],
          tool_calls: [
            {
              id: 'tooluse_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
            {
              id: 'tooluse_2',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'tooluse_1', content: '18°C' },
        { role: 'tool', tool_call_id: 'tooluse_2', content: [{ type: 'text', text: '24°C' }] },
        { role: 'user', content: 'Thanks!' },
      ],
      params: {
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      },
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { reasoningContent: { reasoningText: { text: 'Two cities.', signature: 'sig-1' } } },
          { reasoningContent: { redactedContent: 'cmVkYWN0ZWQ=' } },
          { text: 'Checking both.' },
          { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
          { toolUse: { toolUseId: 'tooluse_2', name: 'get_weather', input: { city: 'Rome' } } },
        ],
      },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'tooluse_1', content: [{ text: '18°C' }] } },
          { toolResult: { toolUseId: 'tooluse_2', content: [{ text: '24°C' }] } },
          { text: 'Thanks!' },
        ],
      },
    ]);
  });

  it('rejects tool call arguments that are not JSON, naming the field', () => {
    expect(() =>
      convert({
        messages: [
          {
            role: 'assistant',
            tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{oops' } }],
          },
        ],
      }),
    ).toThrow('messages[0].tool_calls[0].function.arguments is not valid JSON');
  });

  it('translates tools with a cache point and each tool_choice', () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          description: 'Weather by city',
          parameters: { type: 'object' },
          strict: true,
        },
        cache_control: { type: 'ephemeral' as const },
      },
    ];
    const spec = {
      toolSpec: {
        name: 'get_weather',
        description: 'Weather by city',
        inputSchema: { json: { type: 'object' } },
        strict: true,
      },
    };
    const choices = [
      ['auto', { auto: {} }],
      ['required', { any: {} }],
      [{ type: 'function', function: { name: 'get_weather' } }, { tool: { name: 'get_weather' } }],
    ] as const;
    for (const [choice, expected] of choices) {
      expect(convert({ params: { tools, tool_choice: choice } }).body.toolConfig).toEqual({
        tools: [spec, { cachePoint: { type: 'default' } }],
        toolChoice: expected,
      });
    }
    const none = convert({ params: { tools, tool_choice: 'none' } });
    expect(none.body.toolConfig).toBeUndefined();
    expect(none.warnings).toEqual(['bedrock has no tool_choice "none": the tools were left out']);
  });

  it('turns reasoning_effort into Claude thinking with room for the answer', () => {
    expect(convert({ params: { reasoning_effort: 'low' } }).body).toMatchObject({
      inferenceConfig: { maxTokens: 2048 + 4096 },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2048 } },
    });
    expect(convert({ params: { reasoning_effort: 'high', max_tokens: 4000 } }).body).toMatchObject({
      inferenceConfig: { maxTokens: 4000 },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2000 } },
    });
  });

  it('drops thinking with a warning when max_tokens leaves no room for the smallest budget', () => {
    const { body, warnings } = convert({ params: { reasoning_effort: 'low', max_tokens: 1500 } });
    expect(body.additionalModelRequestFields).toBeUndefined();
    expect(warnings).toEqual([
      'bedrock ignores reasoning_effort: max_tokens leaves no room for a thinking budget',
    ]);
  });

  it('warns about reasoning_effort on models that are not Claude', () => {
    const { body, warnings } = convert({ params: { reasoning_effort: 'high' } }, nova);
    expect(body.additionalModelRequestFields).toBeUndefined();
    expect(warnings).toEqual(['bedrock translates reasoning_effort for Anthropic Claude models only']);
  });

  it('passes Converse-native fields through and warns about OpenAI options it cannot honour', () => {
    const { body, warnings } = convert({
      params: {
        guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: '1' },
        additionalModelRequestFields: { top_k: 50 },
        seed: 7,
        logit_bias: { '1': 2 },
        frequency_penalty: 0.5,
        parallel_tool_calls: false,
        stream_options: { include_usage: true },
      },
    });
    expect(body).toEqual({
      messages: [],
      guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: '1' },
      additionalModelRequestFields: { top_k: 50 },
    });
    expect(warnings).toEqual([
      'bedrock ignores parallel_tool_calls',
      'bedrock ignores seed',
      'bedrock ignores logit_bias',
      'bedrock ignores frequency_penalty',
    ]);
  });

  it('maps a json_schema response_format to outputConfig and warns about json_object', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    expect(
      convert({
        params: { response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } } },
      }).body.outputConfig,
    ).toEqual({
      textFormat: {
        type: 'json_schema',
        structure: { jsonSchema: { schema: JSON.stringify(schema), name: 'answer' } },
      },
    });
    expect(convert({ params: { response_format: { type: 'json_object' } } }).warnings).toEqual([
      'bedrock ignores response_format json_object (only json_schema has a Converse equivalent)',
    ]);
  });
});
