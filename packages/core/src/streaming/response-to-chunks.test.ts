import type { ChatResponse, ExtraFields } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { readOpenAIFixture } from '../testing/openai-fixtures.js';
import { ChatStreamAccumulator } from './chat-stream-accumulator.js';
import { responseToChunks } from './response-to-chunks.js';

const extra: ExtraFields = { provider: 'openai', model: 'gpt-4o-mini', latency: 0 };

function fixture(name: string): ChatResponse {
  return { ...readOpenAIFixture<Omit<ChatResponse, 'extra_fields'>>(name), extra_fields: extra };
}

describe('responseToChunks', () => {
  it('sends the message first and the finish reason with usage last', () => {
    const response = fixture('chat-completion');
    const chunks = responseToChunks(response);
    expect(chunks).toEqual([
      {
        id: response.id,
        object: 'chat.completion.chunk',
        created: response.created,
        model: response.model,
        choices: [
          {
            index: 0,
            delta: { role: 'assistant', content: 'Hello! How can I assist you today?' },
            finish_reason: null,
          },
        ],
      },
      {
        id: response.id,
        object: 'chat.completion.chunk',
        created: response.created,
        model: response.model,
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        usage: response.usage,
      },
    ]);
  });

  it('numbers tool calls by their position', () => {
    const [content] = responseToChunks(fixture('chat-completion-tool-call'));
    expect(content!.choices[0]!.delta).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          index: 0,
          id: 'call_abc123',
          type: 'function',
          function: { name: 'get_current_weather', arguments: '{\n"location": "Boston, MA"\n}' },
        },
      ],
    });
  });

  it('carries refusal, reasoning and text parts', () => {
    const response = fixture('chat-completion');
    response.choices[0]!.message = {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Hello' },
        { type: 'text', text: ' there' },
      ],
      refusal: 'partly',
      reasoning: 'a greeting fits',
    };
    const [content] = responseToChunks(response);
    expect(content!.choices[0]!.delta).toEqual({
      role: 'assistant',
      content: 'Hello there',
      refusal: 'partly',
      reasoning: 'a greeting fits',
    });
  });

  it('sends usage null when the response has none', () => {
    const response = fixture('chat-completion');
    delete response.usage;
    expect(responseToChunks(response)[1]!.usage).toBeNull();
  });

  it('folds back into the same completion through the accumulator', () => {
    const response = fixture('chat-completion-tool-call');
    const accumulator = new ChatStreamAccumulator();
    for (const chunk of responseToChunks(response)) accumulator.add(chunk);
    const { logprobs: _logprobs, ...choice } = response.choices[0]!;
    expect(accumulator.toResponse(extra)).toEqual({ ...response, choices: [choice] });
  });
});
