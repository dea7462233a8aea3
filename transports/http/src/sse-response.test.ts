import { ChatCompletionStream, GatewayError, type ProviderStream } from '@bifrost/core';
import type { ChatStreamChunk } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { sseResponse } from './sse-response.js';
import { openAIFixture } from './testing/openai-fixture.js';
import { readServerSentEvents } from './testing/read-server-sent-events.js';

const chunks = openAIFixture<ChatStreamChunk[]>('chat-stream-chunks');

/** A provider stream over fixed chunks that can fail after some, and records whether it was cancelled. */
function providerStream(items: ChatStreamChunk[], failure?: GatewayError) {
  const state = { cancelled: false, pulled: 0 };
  const stream: ProviderStream = {
    async *[Symbol.asyncIterator]() {
      for (const item of items) {
        state.pulled++;
        yield structuredClone(item);
      }
      if (failure) throw failure;
    },
    cancel: () => {
      state.cancelled = true;
    },
  };
  return { stream, state };
}

const origin = {
  provider: 'openai' as const,
  model: 'gpt-4o-mini',
  retries: 2,
  fallbackIndex: 0,
  startedAt: 0,
};

describe('sseResponse', () => {
  it('writes each chunk as a data event and ends with [DONE]', async () => {
    const { stream } = providerStream(chunks.slice(0, 2));
    const response = sseResponse(new ChatCompletionStream(stream, origin, undefined, () => 0));
    expect(response.headers.get('x-bf-retries')).toBe('2');
    const events = readServerSentEvents(await response.text());
    expect(events.map((event) => (event === '[DONE]' ? event : JSON.parse(event)))).toEqual([
      chunks[0],
      chunks[1],
      '[DONE]',
    ]);
  });

  it('turns a failure into a final error event', async () => {
    const failure = new GatewayError('network_error', 'could not reach openai: connection reset', {
      provider: 'openai',
    });
    const { stream } = providerStream(chunks.slice(0, 1), failure);
    const response = sseResponse(new ChatCompletionStream(stream, origin, undefined, () => 0));
    const events = readServerSentEvents(await response.text());
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[1]!)).toMatchObject({
      status_code: 502,
      error: { message: 'could not reach openai: connection reset' },
      extra_fields: { error_code: 'network_error' },
    });
  });

  it('stops pulling and cancels the upstream when the client goes away', async () => {
    const { stream, state } = providerStream(chunks);
    const response = sseResponse(new ChatCompletionStream(stream, origin, undefined, () => 0));
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(state.cancelled).toBe(true);
    expect(state.pulled).toBeLessThan(chunks.length);
  });
});
