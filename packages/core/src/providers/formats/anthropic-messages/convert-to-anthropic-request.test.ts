import type { ChatMessage, ChatRequest, ModelParameters } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../errors/gateway-error.js';
import { toAnthropicRequest } from './convert-to-anthropic-request.js';

const model = 'claude-sonnet-4-5';

function translate(messages: ChatMessage[], params?: ModelParameters) {
  const request: ChatRequest = { provider: 'anthropic', model, messages, params };
  return toAnthropicRequest(request);
}

function refusal(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('toAnthropicRequest', () => {
  it('lifts system and developer messages into the top-level system field and defaults max_tokens', () => {
    const { body, warnings } = translate([
      { role: 'system', content: 'You are terse.' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
      { role: 'user', content: 'Hello' },
    ]);
    expect(body).toEqual({
      model,
      max_tokens: 4096,
      system: 'You are terse.\nAnswer in French.',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(warnings).toEqual([]);
  });

  it('sends the system prompt as blocks when one asks for caching', () => {
    const { body } = translate([
      { role: 'system', content: 'Rules.' },
      {
        role: 'system',
        content: [{ type: 'text', text: 'A long book.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
      },
      { role: 'user', content: 'Summarise' },
    ]);
    expect(body.system).toEqual([
      { type: 'text', text: 'Rules.' },
      { type: 'text', text: 'A long book.', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
  });

  it('maps sampling parameters, stop, user and max_completion_tokens', () => {
    const { body, warnings } = translate([{ role: 'user', content: 'Hi' }], {
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      max_tokens: 100,
      max_completion_tokens: 200,
      stop: 'END',
      user: 'user-7',
      stream: true,
      stream_options: { include_usage: true },
      n: 1,
    });
    expect(body).toEqual({
      model,
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-7' },
    });
    expect(warnings).toEqual([]);
  });

  it('warns about every OpenAI option Anthropic cannot honour instead of sending it', () => {
    const { body, warnings } = translate([{ role: 'user', content: 'Hi' }], {
      logit_bias: { '50256': -100 },
      presence_penalty: 0.5,
      frequency_penalty: 0.5,
      seed: 7,
      n: 2,
      logprobs: true,
      response_format: { type: 'json_object' },
      unknown_option: 'x',
      stop: ['a', 'b'],
    });
    expect(warnings).toEqual([
      'anthropic ignores logit_bias',
      'anthropic ignores presence_penalty',
      'anthropic ignores frequency_penalty',
      'anthropic ignores seed',
      'anthropic ignores n',
      'anthropic ignores logprobs',
      'anthropic ignores unknown_option',
      'anthropic ignores response_format json_object without a schema',
    ]);
    expect(body).toEqual({
      model,
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Hi' }],
      stop_sequences: ['a', 'b'],
    });
  });

  it('treats null options as unset', () => {
    const { body, warnings } = translate([{ role: 'user', content: 'Hi' }], {
      seed: null,
      stop: null,
      tools: null,
      tool_choice: null,
      response_format: null,
      reasoning_effort: null,
      temperature: null,
    } as unknown as ModelParameters);
    expect(body).toEqual({ model, max_tokens: 4096, messages: [{ role: 'user', content: 'Hi' }] });
    expect(warnings).toEqual([]);
  });

  it('translates tools with cache_control and each tool_choice', () => {
    const tools: ModelParameters['tools'] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Get the current weather in a given location',
          parameters: {
            type: 'object',
            properties: { location: { type: 'string' } },
            required: ['location'],
          },
        },
      },
      { type: 'function', function: { name: 'now' }, cache_control: { type: 'ephemeral' } },
    ];
    const { body } = translate([{ role: 'user', content: 'Weather?' }], { tools, tool_choice: 'auto' });
    expect(body.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Get the current weather in a given location',
        input_schema: {
          type: 'object',
          properties: { location: { type: 'string' } },
          required: ['location'],
        },
      },
      { name: 'now', input_schema: { type: 'object', properties: {} }, cache_control: { type: 'ephemeral' } },
    ]);
    expect(body.tool_choice).toEqual({ type: 'auto' });
    const choice = (params: ModelParameters) =>
      translate([{ role: 'user', content: 'x' }], params).body.tool_choice;
    expect(choice({ tool_choice: 'none' })).toEqual({ type: 'none' });
    expect(choice({ tool_choice: 'required', parallel_tool_calls: false })).toEqual({
      type: 'any',
      disable_parallel_tool_use: true,
    });
    expect(choice({ tool_choice: { type: 'function', function: { name: 'now' } } })).toEqual({
      type: 'tool',
      name: 'now',
    });
    expect(choice({ parallel_tool_calls: false })).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(choice({ parallel_tool_calls: true })).toBeUndefined();
  });

  it('replays a tool-call round trip with tool results merged into one user turn', () => {
    const { body } = translate([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: 'Checking both.',
        tool_calls: [
          {
            id: 'toolu_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
          },
          {
            id: 'toolu_2',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Rome"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
      { role: 'tool', tool_call_id: 'toolu_2', content: [{ type: 'text', text: '24°C' }] },
      { role: 'user', content: 'Which is warmer?' },
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking both.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { location: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: '24°C' }] },
          { type: 'text', text: 'Which is warmer?' },
        ],
      },
    ]);
  });

  it('keeps cache_control on tool calls and tool results sent as pass-through fields', () => {
    const { body } = translate([
      { role: 'user', content: 'Go' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'toolu_1',
            type: 'function',
            function: { name: 'now', arguments: '' },
            cache_control: { type: 'ephemeral' },
          } as never,
        ],
      },
      {
        role: 'tool',
        tool_call_id: 'toolu_1',
        content: 'noon',
        cache_control: { type: 'ephemeral' },
      } as never,
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: 'Go' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'now', input: {}, cache_control: { type: 'ephemeral' } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_1',
            content: 'noon',
            cache_control: { type: 'ephemeral' },
          },
        ],
      },
    ]);
  });

  it('refuses tool arguments that are not a JSON object, naming the field', () => {
    const error = refusal(() =>
      translate([
        { role: 'user', content: 'Go' },
        {
          role: 'assistant',
          tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{"a":' } }],
        },
      ]),
    );
    expect(error.code).toBe('invalid_request');
    expect(error.statusCode).toBe(400);
    expect(error.param).toBe('messages[1].tool_calls[0].function.arguments');
    expect(error.message).toBe('messages[1].tool_calls[0].function.arguments must be a JSON object');
  });

  it('translates image URLs, data URLs and files with their cache_control', () => {
    const { body } = translate([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these.' },
          { type: 'image_url', image_url: { url: 'https://upload.wikimedia.org/ant.jpg' } },
          {
            type: 'image_url',
            image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' },
            cache_control: { type: 'ephemeral' },
          },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'spec.pdf' } },
          { type: 'file', file: { file_id: 'file_011CNha8iCJcU1wXNR6q4V8w' } },
        ],
      },
    ]);
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these.' },
          { type: 'image', source: { type: 'url', url: 'https://upload.wikimedia.org/ant.jpg' } },
          {
            type: 'image',
            source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' },
            cache_control: { type: 'ephemeral' },
          },
          {
            type: 'document',
            source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' },
            title: 'spec.pdf',
          },
          { type: 'document', source: { type: 'file', file_id: 'file_011CNha8iCJcU1wXNR6q4V8w' } },
        ],
      },
    ]);
  });

  it('refuses audio input with fallbacks allowed', () => {
    const error = refusal(() =>
      translate([
        { role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAA=', format: 'wav' } }] },
      ]),
    );
    expect(error.code).toBe('invalid_request');
    expect(error.allowFallbacks).toBe(true);
    expect(error.param).toBe('messages[0].content[0]');
  });

  it('replays reasoning details as thinking blocks before the text and tool calls', () => {
    const { body, warnings } = translate([
      { role: 'user', content: 'GCD of 1071 and 462?' },
      {
        role: 'assistant',
        content: 'It is 21.',
        reasoning: 'Euclid...',
        reasoning_details: [
          { type: 'reasoning.text', text: 'Euclid...', signature: 'sig-1', index: 0 },
          { type: 'reasoning.encrypted', data: 'EmwKAhgB', index: 1 },
          { type: 'reasoning.text', text: 'unsigned', index: 2 },
        ],
        tool_calls: [{ id: 'toolu_9', type: 'function', function: { name: 'check', arguments: '{"n":21}' } }],
      },
    ]);
    expect((body.messages as unknown[])[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Euclid...', signature: 'sig-1' },
        { type: 'redacted_thinking', data: 'EmwKAhgB' },
        { type: 'text', text: 'It is 21.' },
        { type: 'tool_use', id: 'toolu_9', name: 'check', input: { n: 21 } },
      ],
    });
    expect(warnings).toEqual([
      'anthropic needs a signature to replay reasoning; messages[1].reasoning_details[2] was left out',
    ]);
  });

  it('merges consecutive messages of the same role', () => {
    const { body } = translate([
      { role: 'user', content: 'One' },
      { role: 'user', content: [{ type: 'text', text: 'Two', cache_control: { type: 'ephemeral' } }] },
      { role: 'assistant', content: 'A' },
      { role: 'assistant', content: 'B' },
    ]);
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'One' },
          { type: 'text', text: 'Two', cache_control: { type: 'ephemeral' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'A' },
          { type: 'text', text: 'B' },
        ],
      },
    ]);
  });

  it('maps reasoning_effort to a thinking budget that fits under max_tokens', () => {
    const effort = (params: ModelParameters) => {
      const { body } = translate([{ role: 'user', content: 'x' }], params);
      return { thinking: body.thinking, max_tokens: body.max_tokens };
    };
    expect(effort({ reasoning_effort: 'minimal' })).toEqual({
      thinking: { type: 'enabled', budget_tokens: 1024 },
      max_tokens: 5120,
    });
    expect(effort({ reasoning_effort: 'low' })).toEqual({
      thinking: { type: 'enabled', budget_tokens: 2048 },
      max_tokens: 6144,
    });
    expect(effort({ reasoning_effort: 'medium' })).toEqual({
      thinking: { type: 'enabled', budget_tokens: 8192 },
      max_tokens: 12288,
    });
    expect(effort({ reasoning_effort: 'high', max_tokens: 10000 })).toEqual({
      thinking: { type: 'enabled', budget_tokens: 9999 },
      max_tokens: 10000,
    });
    // Anthropic's own field wins over the OpenAI one.
    expect(effort({ reasoning_effort: 'high', thinking: { type: 'enabled', budget_tokens: 2000 } })).toEqual({
      thinking: { type: 'enabled', budget_tokens: 2000 },
      max_tokens: 4096,
    });
  });

  it('turns a JSON schema response_format into output_config.format', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const { body, warnings } = translate([{ role: 'user', content: 'x' }], {
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } },
      output_config: { effort: 'low' },
    });
    expect(body.output_config).toEqual({ effort: 'low', format: { type: 'json_schema', schema } });
    expect(warnings).toEqual([]);
  });

  it('turns metadata.user_id into metadata and warns about other metadata', () => {
    expect(
      translate([{ role: 'user', content: 'x' }], { metadata: { user_id: 'u1' } }).body.metadata,
    ).toEqual({
      user_id: 'u1',
    });
    const { body, warnings } = translate([{ role: 'user', content: 'x' }], { metadata: { team: 'a' } });
    expect(body.metadata).toBeUndefined();
    expect(warnings).toEqual(['anthropic ignores metadata other than metadata.user_id']);
  });
});
