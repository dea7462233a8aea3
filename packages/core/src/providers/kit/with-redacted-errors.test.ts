import type { ChatStreamChunk } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors/gateway-error.js';
import type { Provider, ProviderStream } from '../provider.js';
import { withRedactedErrors } from './with-redacted-errors.js';

const key = { value: 'sk-live-0123456789', models: [], weight: 1 };
const request = {
  provider: 'openai' as const,
  model: 'm',
  messages: [{ role: 'user' as const, content: 'Hi' }],
};
const echo = () => new GatewayError('provider_error', `key ${key.value}`, { upstreamCode: key.value });
const chunk = {
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [],
} as ChatStreamChunk;

function streamFailingAfterOneChunk(): ProviderStream {
  return {
    async *[Symbol.asyncIterator]() {
      yield chunk;
      throw echo();
    },
    cancel: () => {},
    warnings: ['w'],
  };
}

const failing: Provider = {
  name: 'openai',
  requiresKey: true,
  chatCompletion: () => Promise.reject(echo()),
  chatCompletionStream: async () => streamFailingAfterOneChunk(),
  textCompletion: () => {
    throw echo(); // thrown, not rejected: still redacted
  },
  embedding: () => Promise.reject(echo()),
  listModels: () => Promise.reject(echo()),
  close: () => Promise.resolve(),
};

describe('withRedactedErrors', () => {
  const provider = withRedactedErrors(failing);

  it('redacts the key from rejections of every call', async () => {
    const redacted = { message: 'key [redacted]', upstreamCode: '[redacted]' };
    await expect(provider.chatCompletion(request, { key })).rejects.toMatchObject(redacted);
    await expect(provider.textCompletion({ ...request, text: 'x' }, { key })).rejects.toMatchObject(redacted);
    await expect(provider.embedding({ ...request, input: 'x' }, { key })).rejects.toMatchObject(redacted);
    await expect(provider.listModels({ key })).rejects.toMatchObject(redacted);
  });

  it('redacts an error thrown mid-stream, after the chunks before it', async () => {
    const stream = await provider.chatCompletionStream(request, { key });
    expect(stream.warnings).toEqual(['w']);
    const received: ChatStreamChunk[] = [];
    const error = await (async () => {
      try {
        for await (const next of stream) received.push(next);
      } catch (caught) {
        return caught as GatewayError;
      }
    })();
    expect(received).toEqual([chunk]);
    expect(error).toMatchObject({ message: 'key [redacted]', upstreamCode: '[redacted]' });
  });

  it('hands a stream on unwrapped when the key is too short to redact', async () => {
    const stream = streamFailingAfterOneChunk();
    const unwrapped = withRedactedErrors({ ...failing, chatCompletionStream: async () => stream });
    expect(await unwrapped.chatCompletionStream(request, { key: { ...key, value: '' } })).toBe(stream);
  });
});
