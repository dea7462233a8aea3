import { type ChatStreamChunk, providerConfigSchema } from '@bifrost/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MockUpstream } from '../../testing/mock-upstream.js';
import { readOpenAIFixture } from '../../testing/openai-fixtures.js';
import type { ProviderStream } from '../provider.js';
import { openAICompatibleProfiles } from './openai-compatible-profiles.js';
import { OpenAIProvider } from './openai-provider.js';

const openai = 'https://api.openai.com';
const path = '/v1/chat/completions';
const key = { value: 'sk-test', models: [], weight: 1 };
const request = {
  provider: 'openai' as const,
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Hello!' }],
};
const chunks = () => readOpenAIFixture<ChatStreamChunk[]>('chat-stream-chunks');

let upstream: MockUpstream;
let provider: OpenAIProvider;
beforeEach(() => {
  upstream = new MockUpstream();
  provider = new OpenAIProvider(
    openAICompatibleProfiles.openai,
    providerConfigSchema.parse({}),
    upstream.agent,
  );
});
afterEach(async () => {
  await upstream.agent.close();
});

async function drain(stream: ProviderStream): Promise<ChatStreamChunk[]> {
  const received: ChatStreamChunk[] = [];
  for await (const chunk of stream) received.push(chunk);
  return received;
}

describe('openAIChatStream', () => {
  it('posts with stream true and yields the documented chunks in order', async () => {
    upstream.replyStream(openai, path, chunks());
    const stream = await provider.chatCompletionStream(
      { ...request, params: { stream_options: { include_usage: true } } },
      { key },
    );
    expect(await drain(stream)).toEqual(chunks());
    expect(upstream.requests[0]!.body).toEqual({
      stream_options: { include_usage: true },
      model: 'gpt-4o-mini',
      messages: request.messages,
      stream: true,
    });
  });

  it('accepts a stream that ends without [DONE] once a choice has finished', async () => {
    upstream.replyStream(openai, path, chunks(), { done: false });
    const stream = await provider.chatCompletionStream(request, { key });
    expect(await drain(stream)).toHaveLength(chunks().length);
  });

  it('raises provider_error when the stream is cut before any choice finished', async () => {
    upstream.replyStream(openai, path, chunks().slice(0, 3), { done: false });
    const stream = await provider.chatCompletionStream(request, { key });
    await expect(drain(stream)).rejects.toMatchObject({
      code: 'provider_error',
      message: 'openai closed the stream before it finished',
    });
  });

  it('raises the error an error event carries', async () => {
    const error = { error: { message: 'The server had an error', type: 'server_error', code: null } };
    upstream.replyStream(openai, path, [chunks()[0], error]);
    const stream = await provider.chatCompletionStream(request, { key });
    await expect(drain(stream)).rejects.toMatchObject({
      code: 'provider_error',
      message: 'The server had an error',
    });
  });

  it('raises provider_error for an event that is not JSON', async () => {
    upstream.replyRawStream(openai, path, 'data: {"id":\n\n');
    const stream = await provider.chatCompletionStream(request, { key });
    await expect(drain(stream)).rejects.toMatchObject({ code: 'provider_error', statusCode: 502 });
  });

  it('rejects before streaming when the provider answers with an error status', async () => {
    upstream.reply(openai, path, 500, readOpenAIFixture('error-500-server-error'));
    await expect(provider.chatCompletionStream(request, { key })).rejects.toMatchObject({
      code: 'provider_error',
      statusCode: 500,
      retryable: true,
    });
  });

  it('stops with cancelled when the caller aborts mid-stream', async () => {
    upstream.replyStream(openai, path, chunks());
    const controller = new AbortController();
    const stream = await provider.chatCompletionStream(request, { key, signal: controller.signal });
    const received: ChatStreamChunk[] = [];
    const reading = (async () => {
      for await (const chunk of stream) {
        received.push(chunk);
        if (received.length === 2) controller.abort();
      }
    })();
    await expect(reading).rejects.toMatchObject({ code: 'cancelled' });
    expect(received).toHaveLength(2);
  });
});
