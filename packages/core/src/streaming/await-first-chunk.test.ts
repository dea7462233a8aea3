import type { ChatStreamChunk } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import type { ProviderStream } from '../providers/provider.js';
import { rejection } from '../testing/rejection.js';
import { awaitFirstChunk } from './await-first-chunk.js';

const context = { provider: 'openai' as const, model: 'gpt-4o-mini' };
const chunk = (content: string): ChatStreamChunk => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, delta: { content }, finish_reason: null }],
});

/** A provider stream over a generator, recording whether it was cancelled and cleaned up. */
function streamOf(source: () => AsyncGenerator<ChatStreamChunk>) {
  const state = { cancelled: false, cleanedUp: false };
  async function* run() {
    try {
      yield* source();
    } finally {
      state.cleanedUp = true;
    }
  }
  const iterator = run();
  const stream: ProviderStream = {
    [Symbol.asyncIterator]: () => iterator,
    cancel: () => {
      state.cancelled = true;
    },
  };
  return { stream, state };
}

async function collect(stream: ProviderStream): Promise<string[]> {
  const contents: string[] = [];
  for await (const item of stream) contents.push(item.choices[0]?.delta.content ?? '');
  return contents;
}

describe('awaitFirstChunk', () => {
  it('hands back every chunk, the first included, in order', async () => {
    const { stream } = streamOf(async function* () {
      yield chunk('a');
      yield chunk('b');
      yield chunk('c');
    });
    expect(await collect(await awaitFirstChunk(stream, 1000, context))).toEqual(['a', 'b', 'c']);
  });

  it('passes an empty stream through', async () => {
    const { stream } = streamOf(async function* () {});
    expect(await collect(await awaitFirstChunk(stream, 1000, context))).toEqual([]);
  });

  it('rejects with a timeout naming the setting, and cancels the stream, when no chunk comes in time', async () => {
    const { stream, state } = streamOf(async function* () {
      await new Promise(() => {});
    });
    const error = await rejection(awaitFirstChunk(stream, 20, context));
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('first_token_timeout_in_seconds');
    expect(error.retryable).toBe(true);
    expect(state.cancelled).toBe(true);
  });

  it('rejects with the stream’s own failure before the first chunk, and cancels it', async () => {
    const { stream, state } = streamOf(async function* () {
      // A stream that fails before producing anything; the yield is never reached.
      if (state.cancelled === false) throw new Error('broken');
      yield chunk('never');
    });
    await expect(awaitFirstChunk(stream, 1000, context)).rejects.toThrow('broken');
    expect(state.cancelled).toBe(true);
  });

  it('lets the provider stream clean up when the consumer stops early', async () => {
    const { stream, state } = streamOf(async function* () {
      yield chunk('a');
      yield chunk('b');
      yield chunk('c');
    });
    for await (const item of await awaitFirstChunk(stream, 1000, context)) {
      if (item.choices[0]?.delta.content === 'b') break;
    }
    expect(state.cleanedUp).toBe(true);
  });

  it('calls onEnd when the stream finishes, is left early, is cancelled, or fails before its first chunk', async () => {
    const ends: string[] = [];
    const three = () =>
      streamOf(async function* () {
        yield chunk('a');
        yield chunk('b');
        yield chunk('c');
      }).stream;

    await collect(await awaitFirstChunk(three(), 1000, context, () => ends.push('finished')));
    for await (const _ of await awaitFirstChunk(three(), 1000, context, () => ends.push('left'))) break;
    (await awaitFirstChunk(three(), 1000, context, () => ends.push('cancelled'))).cancel();
    const silent = streamOf(async function* () {
      await new Promise(() => {});
    }).stream;
    await rejection(awaitFirstChunk(silent, 20, context, () => ends.push('timed out')));

    expect(ends).toEqual(['finished', 'left', 'cancelled', 'timed out']);
  });
});
