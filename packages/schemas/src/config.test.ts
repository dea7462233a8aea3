import { describe, expect, it } from 'vitest';
import { configFileSchema, keySchema, providerConfigSchema } from './config.js';

function issuesOf(document: unknown) {
  const result = configFileSchema.safeParse(document);
  if (result.success) throw new Error('expected the document to be refused');
  return result.error.issues.map((issue) => ({ path: issue.path, code: issue.code }));
}

describe('configFileSchema', () => {
  it('applies defaults to a provider with only a key', () => {
    const config = configFileSchema.parse({ providers: { openai: { keys: [{ value: 'sk-test' }] } } });
    expect(config.providers.openai).toEqual({
      keys: [{ value: 'sk-test', models: [], weight: 1 }],
      network_config: {
        default_request_timeout_in_seconds: 30,
        key_cooldown_in_seconds: 60,
        max_retries: 0,
        retry_backoff_initial: 500,
        retry_backoff_max: 5000,
      },
      concurrency_and_buffer_size: { concurrency: 1000, buffer_size: 5000, max_queue_wait_in_seconds: 5 },
      send_back_raw_response: false,
    });
  });

  it('applies defaults to the client section', () => {
    const config = configFileSchema.parse({ providers: {}, client: {} });
    expect(config.client).toEqual({
      drop_excess_requests: false,
      initial_pool_size: 300,
      prometheus_labels: [],
      allow_direct_keys: false,
      drain_timeout_in_seconds: 30,
      client_read_timeout_in_seconds: 60,
      max_request_body_size_mb: 10,
      max_in_flight_request_body_mb: 256,
    });
  });

  it('keeps what the file sets over the defaults', () => {
    const config = configFileSchema.parse({
      providers: {
        groq: {
          keys: [{ id: 'main', value: 'env.GROQ_API_KEY', models: ['llama-3.1-8b-instant'], weight: 0.5 }],
          network_config: { base_url: 'https://api.groq.com/openai', max_retries: 3 },
          concurrency_and_buffer_size: { concurrency: 2, buffer_size: 4 },
        },
      },
      plugins: [{ name: 'prometheus' }],
    });
    expect(config.providers.groq?.network_config).toMatchObject({
      base_url: 'https://api.groq.com/openai',
      max_retries: 3,
    });
    expect(config.providers.groq?.concurrency_and_buffer_size).toEqual({
      concurrency: 2,
      buffer_size: 4,
      max_queue_wait_in_seconds: 5,
    });
    expect(config.plugins).toEqual([{ name: 'prometheus', enabled: true }]);
  });

  it('rejects an unknown key inside a provider', () => {
    expect(issuesOf({ providers: { openai: { keyz: [] } } })).toEqual([
      { path: ['providers', 'openai'], code: 'unrecognized_keys' },
    ]);
  });

  it('rejects an unknown provider', () => {
    expect(issuesOf({ providers: { acme: {} } })).toEqual([
      { path: ['providers'], code: 'unrecognized_keys' },
    ]);
  });

  it('rejects an unknown top-level key', () => {
    expect(issuesOf({ providers: {}, provider: {} })).toEqual([{ path: [], code: 'unrecognized_keys' }]);
  });

  it('rejects values of the wrong type, naming each path', () => {
    expect(
      issuesOf({
        providers: {
          openai: {
            keys: [{ value: 42 }],
            network_config: { max_retries: 'three' },
            concurrency_and_buffer_size: { concurrency: 0 },
          },
        },
        client: { drop_excess_requests: 'yes' },
      }),
    ).toEqual([
      { path: ['client', 'drop_excess_requests'], code: 'invalid_type' },
      { path: ['providers', 'openai', 'keys', 0, 'value'], code: 'invalid_type' },
      { path: ['providers', 'openai', 'network_config', 'max_retries'], code: 'invalid_type' },
      { path: ['providers', 'openai', 'concurrency_and_buffer_size', 'concurrency'], code: 'too_small' },
    ]);
  });

  it('rejects a base URL that is not http or https', () => {
    expect(
      issuesOf({ providers: { openai: { network_config: { base_url: 'ftp://example.com' } } } }),
    ).toEqual([{ path: ['providers', 'openai', 'network_config', 'base_url'], code: 'invalid_format' }]);
  });

  it('requires the providers section', () => {
    expect(issuesOf({})).toEqual([{ path: ['providers'], code: 'invalid_type' }]);
  });
});

describe('keySchema', () => {
  it('refuses a negative weight', () => {
    expect(keySchema.safeParse({ value: 'k', weight: -1 }).success).toBe(false);
    expect(keySchema.parse({ value: 'k', weight: 0 }).weight).toBe(0);
  });
});

describe('providerConfigSchema', () => {
  it('refuses a fractional retry count', () => {
    expect(providerConfigSchema.safeParse({ network_config: { max_retries: 1.5 } }).success).toBe(false);
  });
});
