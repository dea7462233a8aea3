import { Bifrost } from '@bifrost/core';
import {
  type Account,
  type Key,
  type NetworkConfig,
  type Plugin,
  type ProviderConfig,
  providerConfigSchema,
} from '@bifrost/schemas';
import { MockAgent, type MockPool } from 'undici';

/** The key the test account configures for OpenAI; no answer of the gateway may ever contain it. */
export const configuredKey = 'sk-configured-3f9a7c1e5b2d8f4a6c0e';

/** The origin the test account points OpenAI at; MockAgent answers for it, and nothing reaches the network. */
export const openAIOrigin = 'https://api.openai.com';

/** One request the engine sent upstream, as the mock saw it. */
export interface UpstreamRequest {
  method: string;
  path: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed JSON, or `undefined` for a request without a body. */
  body: unknown;
}

/** What the upstream answers to one request. */
export interface UpstreamReply {
  path: string;
  /** @default 'POST' */
  method?: 'GET' | 'POST';
  /** @default 200 */
  status?: number;
  /** A string goes out as is; anything else as JSON. */
  body: unknown;
  headers?: Record<string, string>;
}

/** A real engine whose OpenAI traffic goes to an undici MockAgent. */
export interface MockOpenAIEngine {
  engine: Bifrost;
  /** Every request that reached the mock, in order. */
  requests: UpstreamRequest[];
  /** Queues one answer for the next request matching its method and path. */
  reply(reply: UpstreamReply): void;
  /** Fails when a queued answer was never asked for. */
  assertAllReplied(): void;
  shutdown(): Promise<void>;
}

/** Options of {@link createMockOpenAIEngine}. */
export interface MockOpenAIEngineOptions {
  plugins?: Plugin[];
  network?: Partial<NetworkConfig>;
  /** @default [{ value: configuredKey }] */
  keys?: Key[];
}

/** Builds `Bifrost.init` over an in-memory account with one provider, OpenAI, answered by a MockAgent. */
export async function createMockOpenAIEngine(
  options: MockOpenAIEngineOptions = {},
): Promise<MockOpenAIEngine> {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool: MockPool = agent.get(openAIOrigin);
  const keys = options.keys ?? [{ value: configuredKey, models: [], weight: 1 }];
  const config: ProviderConfig = providerConfigSchema.parse({
    keys,
    network_config: { base_url: openAIOrigin, ...options.network },
  });
  const account: Account = {
    getConfiguredProviders: () => ['openai'],
    getKeysForProvider: () => keys,
    getConfigForProvider: () => config,
  };
  const engine = await Bifrost.init({ account, plugins: options.plugins, createDispatcher: () => agent });
  const requests: UpstreamRequest[] = [];
  return {
    engine,
    requests,
    reply({ path, method = 'POST', status = 200, body, headers = {} }) {
      pool.intercept({ path, method }).reply((request) => {
        requests.push({
          method: request.method,
          path: request.path,
          headers: headerRecord(request.headers),
          body: typeof request.body === 'string' ? JSON.parse(request.body) : undefined,
        });
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        const contentType = typeof body === 'string' ? 'text/event-stream' : 'application/json';
        return {
          statusCode: status,
          data: text,
          responseOptions: { headers: { 'content-type': contentType, ...headers } },
        };
      });
    },
    assertAllReplied: () => agent.assertNoPendingInterceptors(),
    shutdown: () => engine.shutdown(),
  };
}

/** undici hands the mock the headers as given: here a flat `[name, value, …]` list; objects are handled too. */
function headerRecord(headers: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (Array.isArray(headers)) {
    for (let index = 0; index + 1 < headers.length; index += 2) {
      record[String(headers[index]).toLowerCase()] = String(headers[index + 1]);
    }
  } else if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      record[name] = value;
    });
  } else if (typeof headers === 'object' && headers !== null) {
    for (const [name, value] of Object.entries(headers)) record[name.toLowerCase()] = String(value);
  }
  return record;
}
