import { Metadata, status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bifrostClient, failure, type ServiceClient } from './support/grpc-clients.js';
import { type GrpcGatewayProcess, startGrpcGateway } from './support/grpc-gateway-process.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';

// Governance on the gRPC transport: the virtual key travels as metadata, refusals are gRPC statuses. bifrost-grpc
// keeps no store, so its keys come from the config file.
const limited = 'sk-bf-grpc-limited-key-0001';
const narrow = 'sk-bf-grpc-narrow-key-0002';

let upstream: OpenAIUpstream;
let gateway: GrpcGatewayProcess;
let client: ServiceClient;

beforeAll(async () => {
  upstream = await startOpenAIUpstream({ apiKeys: ['sk-upstream'] });
  gateway = await startGrpcGateway({
    config: {
      providers: {
        openai: { keys: [{ id: 'main', value: 'sk-upstream' }], network_config: { base_url: upstream.url } },
      },
      governance: {
        rate_limits: [{ id: 'one', request_max_limit: 1, request_reset_duration: '1h' }],
        virtual_keys: [
          {
            id: 'vk-limited',
            name: 'limited',
            value: limited,
            rate_limit_id: 'one',
            provider_configs: [{ provider: 'openai', weight: 1, allowed_models: ['*'], key_ids: ['*'] }],
          },
          {
            id: 'vk-narrow',
            name: 'narrow',
            value: narrow,
            provider_configs: [
              { provider: 'openai', weight: 1, allowed_models: ['gpt-4o-mini'], key_ids: ['*'] },
            ],
          },
        ],
      },
    },
  });
  client = bifrostClient(gateway.address);
});
afterAll(async () => {
  client?.close();
  await gateway?.stop();
  await upstream?.close();
});

function withKey(name: string, value: string): Metadata {
  const metadata = new Metadata();
  metadata.set(name, value);
  return metadata;
}

function chat(metadata: Metadata, model = 'openai/gpt-4o-mini'): Promise<unknown> {
  // grpc-js takes metadata where the helper passes call options.
  return client.unary(
    'ChatCompletion',
    { model, messages: [{ role: 'user', content: 'Hi' }] },
    metadata as never,
  );
}

describe('governance over gRPC', () => {
  it('admits a key from x-bf-vk metadata, then answers RESOURCE_EXHAUSTED past its limit', async () => {
    await chat(withKey('x-bf-vk', limited));
    const refused = await failure(chat(withKey('authorization', `Bearer ${limited}`)));
    expect(refused.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(refused.details).toContain('request limit');
  });

  it('answers PERMISSION_DENIED for a model the key does not allow', async () => {
    const refused = await failure(chat(withKey('x-api-key', narrow), 'openai/gpt-4o'));
    expect(refused.code).toBe(status.PERMISSION_DENIED);
    expect(refused.details).toContain('gpt-4o');
  });

  it('answers UNAUTHENTICATED for an unknown key, and never sends a key upstream', async () => {
    const refused = await failure(chat(withKey('x-bf-vk', 'sk-bf-nobody')));
    expect(refused.code).toBe(status.UNAUTHENTICATED);
    for (const request of upstream.requests) {
      expect(request.headers.authorization).toBe('Bearer sk-upstream');
    }
  });
});
