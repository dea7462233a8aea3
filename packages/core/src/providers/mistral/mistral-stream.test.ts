import { type ChatStreamChunk, providerConfigSchema } from '@bifrost/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MockUpstream } from '../../testing/mock-upstream.js';
import type { ProviderStream } from '../provider.js';
import { MistralProvider } from './mistral-provider.js';

const origin = 'https://api.mistral.ai';
const path = '/v1/chat/completions';
const key = { value: 'mistral-test-key', models: [], weight: 1 };
const request = {
  provider: 'mistral' as const,
  model: 'mistral-small-latest',
  messages: [{ role: 'user' as const, content: 'Hi' }],
};
const base = { id: 'x', object: 'chat.completion.chunk', created: 1, model: 'mistral-small-latest' };

let upstream: MockUpstream;
let provider: MistralProvider;
beforeEach(() => {
  upstream = new MockUpstream();
  provider = new MistralProvider(providerConfigSchema.parse({}), upstream.agent);
});
afterEach(async () => {
  await upstream.agent.close();
});

async function drain(stream: ProviderStream): Promise<ChatStreamChunk[]> {
  const received: ChatStreamChunk[] = [];
  for await (const chunk of stream) received.push(chunk);
  return received;
}

describe('mistralChatStream', () => {
  it('turns object arguments into JSON text and maps model_length to length', async () => {
    upstream.replyStream(origin, path, [
      {
        ...base,
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ id: 'abcDEF123', function: { name: 'f', arguments: { a: 1 } } }] },
            finish_reason: null,
          },
        ],
      },
      { ...base, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'model_length' }] },
    ]);
    const chunks = await drain(await provider.chatCompletionStream(request, { key }));
    expect(chunks[0]?.choices[0]?.delta.tool_calls).toEqual([
      { index: 0, id: 'abcDEF123', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
    ]);
    expect(chunks[1]?.choices[0]?.finish_reason).toBe('length');
  });

  it('raises the error an error event carries', async () => {
    upstream.replyStream(origin, path, [
      {
        object: 'error',
        message: 'Service tier capacity exceeded',
        type: 'service_tier_capacity_exceeded',
        param: null,
        code: '3505',
        raw_status_code: 429,
      },
    ]);
    const stream = await provider.chatCompletionStream(request, { key });
    await expect(drain(stream)).rejects.toMatchObject({
      code: 'rate_limited',
      statusCode: 429,
      upstreamCode: '3505',
      message: 'Service tier capacity exceeded',
    });
  });

  it('raises provider_error for an event that is not JSON', async () => {
    upstream.replyRawStream(origin, path, 'data: {not json\n\n');
    const stream = await provider.chatCompletionStream(request, { key });
    await expect(drain(stream)).rejects.toMatchObject({ code: 'provider_error', statusCode: 502 });
  });
});
