import { readFileSync } from 'node:fs';
import type { ChatResponse, ChatStreamChunk, EmbeddingResponse } from '@bifrost/schemas';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  fromChatResponse,
  fromChatStreamChunk,
  fromEmbeddingResponse,
  fromModelList,
} from './convert-to-grpc-response.js';
import { bifrostServiceName, loadBifrostProto } from './load-bifrost-proto.js';

const service = loadBifrostProto()[bifrostServiceName] as ServiceDefinition;

function fixture<Value>(name: string): Value {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8')) as Value;
}

/** Encodes a message as the server does and decodes it as a client with the same loader options would. */
function overTheWire(method: string, message: Record<string, unknown>): unknown {
  const definition = service[method]!;
  return definition.responseDeserialize(definition.responseSerialize(message));
}

describe('response conversion', () => {
  it('carries a chat completion field by field', () => {
    const response = fixture<ChatResponse>('chat-response');
    expect(overTheWire('ChatCompletion', fromChatResponse(response))).toEqual({
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      object: 'chat.completion',
      created: 1741569952,
      model: 'gpt-4.1-2025-04-14',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello! How can I assist you today?' },
          finish_reason: 'stop',
        },
      ],
      usage: response.usage,
      service_tier: 'default',
      extra_fields: { provider: 'openai', model: 'gpt-4.1', latency: 12.5 },
    });
  });

  it('sends content parts and tool calls of an assistant message', () => {
    const response = fixture<ChatResponse>('chat-response');
    const call = { id: 'call_1', type: 'function' as const, function: { name: 'f', arguments: '{}' } };
    response.choices[0]!.message = {
      role: 'assistant',
      content: [{ type: 'text', text: 'Hi' }],
      tool_calls: [call],
    };
    const decoded = overTheWire('ChatCompletion', fromChatResponse(response)) as ChatResponse;
    expect(decoded.choices[0]!.message).toEqual({
      role: 'assistant',
      content_parts: [{ type: 'text', text: 'Hi' }],
      tool_calls: [call],
    });
  });

  it('sends logprobs and the raw response as protobuf values', () => {
    const response = fixture<ChatResponse>('chat-response');
    response.choices[0]!.logprobs = { content: [{ token: 'Hello', logprob: -0.5 }] };
    response.extra_fields.raw_response = { id: 'raw' };
    const decoded = overTheWire('ChatCompletion', fromChatResponse(response)) as {
      choices: { logprobs: unknown }[];
      extra_fields: { raw_response: unknown };
    };
    expect(decoded.choices[0]!.logprobs).toEqual({
      structValue: {
        fields: {
          content: {
            listValue: {
              values: [
                {
                  structValue: {
                    fields: { token: { stringValue: 'Hello' }, logprob: { numberValue: -0.5 } },
                  },
                },
              ],
            },
          },
        },
      },
    });
    expect(decoded.extra_fields.raw_response).toEqual({
      structValue: { fields: { id: { stringValue: 'raw' } } },
    });
  });

  it('carries a stream chunk with its delta and finish reason', () => {
    const chunk: ChatStreamChunk = {
      id: 'chatcmpl-123',
      object: 'chat.completion.chunk',
      created: 1694268190,
      model: 'gpt-4o-mini',
      system_fingerprint: 'fp_44709d6fcb',
      choices: [{ index: 0, delta: { content: 'Hello' }, logprobs: null, finish_reason: null }],
    };
    expect(overTheWire('ChatCompletionStream', fromChatStreamChunk(chunk))).toEqual({
      id: 'chatcmpl-123',
      object: 'chat.completion.chunk',
      created: 1694268190,
      model: 'gpt-4o-mini',
      system_fingerprint: 'fp_44709d6fcb',
      choices: [{ index: 0, delta: { content: 'Hello' } }],
    });
  });

  it('sends float vectors as numbers and base64 vectors as a string', () => {
    const response = fixture<EmbeddingResponse>('embedding-response');
    const decoded = overTheWire('Embedding', fromEmbeddingResponse(response)) as EmbeddingResponse;
    expect(decoded.data[0]).toEqual(response.data[0]);
    response.data[0]!.embedding = 'AAAA';
    const base64 = overTheWire('Embedding', fromEmbeddingResponse(response)) as { data: unknown[] };
    expect(base64.data[0]).toEqual({ object: 'embedding', index: 0, embedding_base64: 'AAAA' });
  });

  it('lists models in the /v1/models shape', () => {
    const model = { id: 'openai/gpt-4o', object: 'model' as const, created: 1715367049, owned_by: 'system' };
    expect(overTheWire('ListModels', fromModelList([model]))).toEqual({ object: 'list', data: [model] });
  });
});
