import { status } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  bifrostClient,
  failure,
  healthClient,
  reflectionClient,
  type ServiceClient,
} from './support/grpc-clients.js';
import { type GrpcGatewayProcess, startGrpcGateway } from './support/grpc-gateway-process.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';

let upstream: OpenAIUpstream;
let gateway: GrpcGatewayProcess;
let client: ServiceClient;

/** The parts of the answers the tests read. */
interface Answer {
  object: string;
  choices: { message: unknown; finish_reason?: string }[];
  data: { id: string; index: number; embedding: number[] }[];
  extra_fields: unknown;
}

beforeAll(async () => {
  upstream = await startOpenAIUpstream({ apiKeys: ['sk-grpc-key'] });
  gateway = await startGrpcGateway({
    config: {
      providers: { openai: { keys: [{ value: 'sk-grpc-key' }], network_config: { base_url: upstream.url } } },
    },
  });
  client = bifrostClient(gateway.address);
});
afterEach(() => upstream.reset());
afterAll(async () => {
  client?.close();
  await gateway?.stop();
  await upstream?.close();
});

/** `grpc.reflection.v1.ServerReflectionResponse`, the members the tests read. */
interface ReflectionAnswer {
  list_services_response?: { service: { name: string }[] };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
}

describe('ChatCompletion', () => {
  it('sends the request upstream and answers with the completion', async () => {
    const answer = await client.unary<Answer>('ChatCompletion', {
      model: 'openai/gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      params: { temperature: 0, max_tokens: 32, extra_params: { fields: { store: { boolValue: false } } } },
    });

    expect(upstream.requests).toHaveLength(1);
    const sent = upstream.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-grpc-key');
    expect(sent.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      temperature: 0,
      max_tokens: 32,
      store: false,
    });
    expect(answer.object).toBe('chat.completion');
    expect(answer.choices[0]!.message).toMatchObject({ role: 'assistant', content: 'echo: Hello' });
    expect(answer.choices[0]!.finish_reason).toBe('stop');
    expect(answer.extra_fields).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
  });

  it('answers INVALID_ARGUMENT naming the field, with the BifrostError in the trailer', async () => {
    const error = await failure(
      client.unary('ChatCompletion', {
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'robot', content: 'Hello' }],
      }),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toMatch(/^messages\[0\]\.role: /);
    const bifrostError = JSON.parse(error.metadata.get('bifrost-error')[0] as string);
    expect(bifrostError).toMatchObject({
      is_bifrost_error: true,
      status_code: 400,
      error: { param: 'messages[0].role' },
      extra_fields: { error_code: 'invalid_request' },
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers RESOURCE_EXHAUSTED when the provider rate-limits', async () => {
    upstream.enqueue({ kind: 'error', status: 429 });
    const error = await failure(
      client.unary('ChatCompletion', {
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    const bifrostError = JSON.parse(error.metadata.get('bifrost-error')[0] as string);
    expect(bifrostError).toMatchObject({ is_bifrost_error: false, status_code: 429 });
    expect(bifrostError.extra_fields).toMatchObject({ provider: 'openai', error_code: 'rate_limited' });
  });
});

describe('the other methods', () => {
  it('embeds several inputs', async () => {
    const answer = await client.unary<Answer>('Embedding', {
      model: 'openai/text-embedding-3-small',
      input: ['one', 'two'],
    });
    expect(upstream.requests[0]!.body).toEqual({ model: 'text-embedding-3-small', input: ['one', 'two'] });
    expect(answer.data.map((entry) => entry.index)).toEqual([0, 1]);
    expect(answer.data[0]!.embedding.length).toBeGreaterThan(0);
  });

  it('completes a text prompt', async () => {
    const answer = await client.unary<Answer>('TextCompletion', {
      model: 'openai/gpt-3.5-turbo-instruct',
      text: ['Say hi'],
    });
    expect(upstream.requests[0]!.body).toMatchObject({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi' });
    expect(answer.object).toBe('text_completion');
  });

  it("lists the provider's models as provider/model", async () => {
    const answer = await client.unary<Answer>('ListModels', {});
    expect(answer.object).toBe('list');
    expect(answer.data.length).toBeGreaterThan(0);
    for (const model of answer.data) expect(model.id).toMatch(/^openai\//);
  });
});

describe('health and reflection', () => {
  it('reports SERVING for the server and for bifrost.v1.Bifrost', async () => {
    const health = healthClient(gateway.address);
    try {
      for (const service of ['', 'bifrost.v1.Bifrost']) {
        const answer = await health.unary<{ status: string }>('Check', { service });
        expect(answer.status).toBe('SERVING');
      }
    } finally {
      health.close();
    }
  });

  it('lists bifrost.v1.Bifrost and describes it without the proto file', async () => {
    const reflection = reflectionClient(gateway.address);
    try {
      const answers: ReflectionAnswer[] = [];
      const call = reflection.duplex<unknown, ReflectionAnswer>('ServerReflectionInfo');
      const ended = new Promise<void>((resolve, reject) => {
        call.on('data', (answer: ReflectionAnswer) => answers.push(answer));
        call.on('end', resolve);
        call.on('error', reject);
      });
      call.write({ list_services: '' });
      call.write({ file_containing_symbol: 'bifrost.v1.Bifrost' });
      call.end();
      await ended;

      const names = answers[0]!.list_services_response!.service.map((service) => service.name);
      expect(names).toEqual(expect.arrayContaining(['bifrost.v1.Bifrost', 'grpc.health.v1.Health']));
      // Build the service from the descriptors alone, as grpcurl does: every import must come along.
      const files = answers[1]!.file_descriptor_response!.file_descriptor_proto.map((bytes) =>
        descriptor.FileDescriptorProto.decode(bytes),
      );
      const described = files as unknown as { name: string; package: string; dependency: string[] }[];
      const bifrostFile = described.find((file) => file.package === 'bifrost.v1')!;
      const imported = described.filter((file) => bifrostFile.dependency.includes(file.name));
      expect(imported.map((file) => file.package)).toEqual(['google.protobuf']);
      // protobufjs/ext/descriptor adds Root.fromDescriptor at run time; its typings do not declare it.
      const Root = protobuf.Root as unknown as { fromDescriptor(set: unknown): protobuf.Root };
      const root = Root.fromDescriptor({ file: files });
      root.resolveAll();
      const service = root.lookupService('bifrost.v1.Bifrost');
      expect(Object.keys(service.methods).sort()).toEqual([
        'ChatCompletion',
        'ChatCompletionStream',
        'Embedding',
        'ListModels',
        'TextCompletion',
      ]);
      expect(root.lookupType('bifrost.v1.FunctionDefinition').fields.parameters!.resolvedType!.fullName).toBe(
        '.google.protobuf.Struct',
      );
    } finally {
      reflection.close();
    }
  });
});
