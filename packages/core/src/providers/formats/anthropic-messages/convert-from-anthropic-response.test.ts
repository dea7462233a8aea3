import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../errors/gateway-error.js';
import { readAnthropicFixture } from '../../anthropic/__fixtures__/anthropic-fixtures.js';
import { fromAnthropicResponse } from './convert-from-anthropic-response.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

const model = 'claude-sonnet-4-5';
const created = expect.any(Number);

function translate(name: string, change: (body: Record<string, unknown>) => void = () => {}) {
  const body = readAnthropicFixture<Record<string, unknown>>(name);
  change(body);
  return fromAnthropicResponse(body, 'anthropic', model);
}

describe('fromAnthropicResponse', () => {
  it('translates the documented text answer', () => {
    expect(translate('message')).toEqual({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      object: 'chat.completion',
      created,
      model: 'claude-sonnet-4-5-20250929',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi! My name is Claude.' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 2095, completion_tokens: 503, total_tokens: 2598 },
    });
  });

  it('turns tool_use blocks into tool calls with JSON arguments', () => {
    expect(translate('message-tool-use').choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: "I'll check the current weather in San Francisco for you.",
          tool_calls: [
            {
              id: 'toolu_01A09q90qw90lq917835lq9',
              type: 'function',
              function: {
                name: 'get_weather',
                arguments: '{"location":"San Francisco, CA","unit":"celsius"}',
              },
            },
          ],
        },
        finish_reason: 'tool_calls',
      },
    ]);
  });

  it('answers null content when the model only called tools', () => {
    const result = translate('message-tool-use', (body) => {
      body.content = (body.content as unknown[]).slice(1);
    });
    expect(result.choices[0]!.message.content).toBeNull();
  });

  it('keeps thinking with its signature and redacted thinking as encrypted reasoning', () => {
    expect(translate('message-thinking').choices[0]!.message).toEqual({
      role: 'assistant',
      content: 'Based on my analysis...',
      reasoning: 'Let me analyze this step by step...',
      reasoning_details: [
        {
          type: 'reasoning.text',
          text: 'Let me analyze this step by step...',
          signature: 'WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL....',
          index: 0,
        },
        {
          type: 'reasoning.encrypted',
          data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj2pabjbB8j5k3kq3Hwf...',
          index: 1,
        },
      ],
    });
  });

  it('counts cache reads and writes into prompt_tokens and reports them apart', () => {
    expect(translate('message-prompt-caching').usage).toEqual({
      prompt_tokens: 21 + 188086,
      completion_tokens: 393,
      total_tokens: 21 + 188086 + 393,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 188086 },
    });
    const read = translate('message-prompt-caching', (body) => {
      body.usage = { input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 5 };
    });
    expect(read.usage).toEqual({
      prompt_tokens: 100,
      completion_tokens: 5,
      total_tokens: 105,
      prompt_tokens_details: { cached_tokens: 90 },
    });
  });

  it('reports thinking tokens as reasoning tokens', () => {
    const result = translate('message-thinking', (body) => {
      body.usage = {
        input_tokens: 52,
        output_tokens: 2041,
        output_tokens_details: { thinking_tokens: 1800 },
      };
    });
    expect(result.usage).toEqual({
      prompt_tokens: 52,
      completion_tokens: 2041,
      total_tokens: 2093,
      completion_tokens_details: { reasoning_tokens: 1800 },
    });
  });

  it('warns when the server paused the turn', () => {
    const result = translate('message', (body) => {
      body.stop_reason = 'pause_turn';
    });
    expect(result.choices[0]!.finish_reason).toBe('stop');
    expect(result.extra_fields?.warnings).toEqual([
      'anthropic paused the turn (stop_reason pause_turn); send the conversation back unchanged to let it continue',
    ]);
  });

  it('warns about blocks with no OpenAI counterpart', () => {
    const result = translate('message', (body) => {
      (body.content as unknown[]).unshift({
        type: 'server_tool_use',
        id: 'srvtoolu_1',
        name: 'web_search',
        input: {},
      });
    });
    expect(result.choices[0]!.message.content).toBe('Hi! My name is Claude.');
    expect(result.extra_fields?.warnings).toEqual([
      'anthropic returned a server_tool_use block, which has no OpenAI equivalent and was left out',
    ]);
  });

  it('rejects a body that is not a message', () => {
    const error = (() => {
      try {
        fromAnthropicResponse({ id: 'x' }, 'anthropic', model);
      } catch (caught) {
        return caught as GatewayError;
      }
    })();
    expect(error).toBeInstanceOf(GatewayError);
    expect(error?.statusCode).toBe(502);
    expect(error?.message).toBe('anthropic returned a malformed response: missing "content" array');
  });

  it('rejects a 200 that carries an error envelope with its type', () => {
    expect(() =>
      fromAnthropicResponse(readAnthropicFixture('error-529-overloaded'), 'anthropic', model),
    ).toThrow(expect.objectContaining({ message: 'Overloaded', upstreamType: 'overloaded_error' }));
  });
});

describe('mapAnthropicFinishReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['tool_use', 'tool_calls'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
    ['something_new', 'stop'],
  ])('maps %s to %s', (stopReason, finishReason) => {
    expect(mapAnthropicFinishReason(stopReason)).toBe(finishReason);
  });

  it('maps a missing reason to null', () => {
    expect(mapAnthropicFinishReason(null)).toBeNull();
  });
});
