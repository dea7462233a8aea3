import { createRequire } from 'node:module';
import {
  BedrockRuntimeClient,
  type BedrockRuntimeClientConfig,
  BedrockRuntimeServiceException,
  ConverseCommand,
  ConverseStreamCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type BedrockUpstream,
  readBedrockFixture,
  startBedrockUpstream,
} from './support/bedrock-upstream.js';

// The vendor's own client against the fake: its SigV4 signature must pass the fake's check, and its parser must
// read the fake's JSON and event-stream frames, which shows the fake speaks Bedrock's wire format.
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FQoGZXIvYXdzEXAMPLETOKEN',
};
const modelId =
  'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-5-sonnet-20240620-v1:0';

// The client defaults to HTTP/2; the fake (like the gateway's undici pool) speaks HTTP/1.1, which Bedrock serves
// too. The SDK's own HTTP/1.1 handler is loaded from the SDK's dependencies, as its docs suggest.
const requireFromSdk = createRequire(
  createRequire(import.meta.url).resolve('@aws-sdk/client-bedrock-runtime'),
);
const { NodeHttpHandler } = requireFromSdk('@smithy/node-http-handler') as {
  NodeHttpHandler: new () => NonNullable<BedrockRuntimeClientConfig['requestHandler']>;
};

function sdkClient(secretAccessKey = credentials.secretAccessKey): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: upstream.url,
    region: 'eu-west-1',
    credentials: { ...credentials, secretAccessKey },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(),
  });
}

let upstream: BedrockUpstream;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  upstream = await startBedrockUpstream({ ...credentials, region: 'eu-west-1' });
  client = sdkClient();
});
afterAll(async () => {
  client.destroy();
  await upstream.close();
});
beforeEach(() => upstream.reset());

describe('@aws-sdk/client-bedrock-runtime against the fake Bedrock', () => {
  it('sends a signed Converse request the fake accepts and reads the answer', async () => {
    const answer = await client.send(
      new ConverseCommand({
        modelId,
        messages: [{ role: 'user', content: [{ text: 'Hello!' }] }],
        inferenceConfig: { maxTokens: 64 },
      }),
    );
    expect(answer.output?.message?.content).toEqual([{ text: 'Hello! How can I help you today?' }]);
    expect(answer.stopReason).toBe('end_turn');
    expect(answer.usage).toEqual({ inputTokens: 12, outputTokens: 9, totalTokens: 21 });
    expect(upstream.requests[0]).toMatchObject({
      method: 'POST',
      path: `/model/${encodeURIComponent(modelId)}/converse`,
      body: {
        messages: [{ role: 'user', content: [{ text: 'Hello!' }] }],
        inferenceConfig: { maxTokens: 64 },
      },
    });
  });

  it('iterates a ConverseStream, decoding every event-stream frame', async () => {
    upstream.enqueue({
      kind: 'stream',
      items: readBedrockFixture('converse-stream-tool-use-events'),
      chunkSize: 7,
    });
    const answer = await client.send(
      new ConverseStreamCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'Weather?' }] }] }),
    );
    const events: unknown[] = [];
    for await (const event of answer.stream ?? []) events.push(event);
    const expected = readBedrockFixture<Array<{ event: string; payload: unknown }>>(
      'converse-stream-tool-use-events',
    );
    expect(events).toEqual(expected.map(({ event, payload }) => ({ [event]: payload })));
  });

  it('raises the typed ThrottlingException for a 429', async () => {
    upstream.enqueue({
      kind: 'error',
      status: 429,
      type: 'ThrottlingException',
      message: 'Too many requests, please wait before trying again.',
    });
    const sent = client.send(
      new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }),
    );
    await expect(sent).rejects.toBeInstanceOf(ThrottlingException);
    await expect(sent).rejects.toMatchObject({
      message: 'Too many requests, please wait before trying again.',
      $metadata: { httpStatusCode: 429 },
    });
  });

  it('raises the typed ValidationException for a 400 with a namespaced x-amzn-errortype', async () => {
    upstream.enqueue({
      kind: 'error',
      status: 400,
      type: 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/',
      message: 'The provided model identifier is invalid.',
    });
    const sent = client.send(
      new ConverseCommand({ modelId: 'nope', messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }),
    );
    await expect(sent).rejects.toBeInstanceOf(ValidationException);
  });

  it('raises a stream exception event as the typed exception while iterating', async () => {
    upstream.enqueue({
      kind: 'stream',
      items: [
        { event: 'messageStart', payload: { role: 'assistant' } },
        { exception: 'throttlingException', message: 'Too many tokens, please wait before trying again.' },
      ],
    });
    const answer = await client.send(
      new ConverseStreamCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }),
    );
    const iterate = async () => {
      for await (const _event of answer.stream ?? []) {
        // drain
      }
    };
    await expect(iterate()).rejects.toBeInstanceOf(ThrottlingException);
  });

  it('is refused with InvalidSignatureException when signed with the wrong secret', async () => {
    const wrong = sdkClient('not-the-secret');
    const sent = wrong.send(
      new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }),
    );
    await expect(sent).rejects.toBeInstanceOf(BedrockRuntimeServiceException);
    await expect(sent).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    wrong.destroy();
  });
});
