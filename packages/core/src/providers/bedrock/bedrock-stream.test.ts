import type { ChatStreamChunk } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { concatFrames, encodeEvent, encodeException } from './__fixtures__/encode-event-stream.js';
import { type FixtureEvent, readBedrockFixture } from './__fixtures__/read-bedrock-fixture.js';
import { translateBedrockEvents } from './bedrock-stream.js';

const identity = { id: 'req-1', created: 1700000000, model: 'anthropic.claude-3-5-sonnet-20240620-v1:0' };
const context = { provider: 'bedrock' as const, model: identity.model };
const head = { id: 'req-1', object: 'chat.completion.chunk', created: 1700000000, model: identity.model };

async function* chunksOf(...chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

async function translate(bytes: Uint8Array): Promise<ChatStreamChunk[]> {
  const chunks: ChatStreamChunk[] = [];
  for await (const chunk of translateBedrockEvents(chunksOf(bytes), identity, context)) chunks.push(chunk);
  return chunks;
}

function framesOf(name: string): Uint8Array {
  return concatFrames(readBedrockFixture<FixtureEvent[]>(name).map(encodeEvent));
}

function choice(delta: object, finishReason: string | null = null) {
  return { ...head, choices: [{ index: 0, delta, finish_reason: finishReason }] };
}

describe('translateBedrockEvents', () => {
  it('turns a text stream into role, content, finish and usage chunks', async () => {
    expect(await translate(framesOf('converse-stream-events'))).toEqual([
      choice({ role: 'assistant' }),
      choice({ content: 'Hello' }),
      choice({ content: '! How can I help?' }),
      choice({}, 'stop'),
      { ...head, choices: [], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 } },
    ]);
  });

  it('keeps reasoning with its signature and the tool call id, name and argument fragments in order', async () => {
    expect(await translate(framesOf('converse-stream-tool-use-events'))).toEqual([
      choice({ role: 'assistant' }),
      choice({
        reasoning: 'Need the weather tool.',
        reasoning_details: [{ type: 'reasoning.text', text: 'Need the weather tool.', index: 0 }],
      }),
      choice({
        reasoning_details: [{ type: 'reasoning.text', text: '', signature: 'EqoBCkgIARAB', index: 0 }],
      }),
      choice({ content: 'Checking.' }),
      choice({
        tool_calls: [
          {
            index: 0,
            id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
      }),
      choice({ tool_calls: [{ index: 0, function: { arguments: '{"location": ' } }] }),
      choice({ tool_calls: [{ index: 0, function: { arguments: '"Seattle, WA"}' } }] }),
      choice({}, 'tool_calls'),
      {
        ...head,
        choices: [],
        usage: {
          prompt_tokens: 1390,
          completion_tokens: 68,
          total_tokens: 1458,
          prompt_tokens_details: { cached_tokens: 1000 },
        },
      },
    ]);
  });

  it('ends with the mapped error when Bedrock sends an exception message', async () => {
    const events = readBedrockFixture<FixtureEvent[]>('converse-stream-events');
    const bytes = concatFrames([
      encodeEvent(events[0]!),
      encodeEvent(events[1]!),
      encodeException('throttlingException', 'Too many tokens, please wait before trying again.'),
    ]);
    await expect(translate(bytes)).rejects.toMatchObject({
      code: 'rate_limited',
      statusCode: 429,
      upstreamType: 'ThrottlingException',
      message: 'Too many tokens, please wait before trying again.',
    });
  });

  it('maps modelStreamErrorException to 424 and validationException to 400', async () => {
    await expect(translate(encodeException('modelStreamErrorException', 'boom'))).rejects.toMatchObject({
      statusCode: 424,
      upstreamType: 'ModelStreamErrorException',
    });
    await expect(translate(encodeException('validationException', 'bad'))).rejects.toMatchObject({
      code: 'invalid_request',
      statusCode: 400,
    });
  });

  it('reports a stream that ends before messageStop as cut short', async () => {
    const events = readBedrockFixture<FixtureEvent[]>('converse-stream-events');
    await expect(translate(concatFrames(events.slice(0, 3).map(encodeEvent)))).rejects.toMatchObject({
      code: 'provider_error',
      message: 'bedrock closed the stream before it finished',
    });
  });

  it('reports a stream that ends inside a frame as cut short', async () => {
    const bytes = framesOf('converse-stream-events');
    await expect(translate(bytes.subarray(0, bytes.byteLength - 10))).rejects.toMatchObject({
      message: 'bedrock closed the stream before it finished',
    });
  });

  it('reports a corrupt frame as a malformed event', async () => {
    const bytes = framesOf('converse-stream-events').slice();
    bytes[bytes.byteLength - 1]! ^= 0xff;
    await expect(translate(bytes)).rejects.toMatchObject({
      message: 'bedrock sent an event-stream message that cannot be decoded',
    });
  });
});
