import type {
  BifrostError,
  ChatResponse,
  ErrorCode,
  HttpRequestEvent,
  PluginContext,
} from '@bifrost/schemas';
import { pluginValueKeys } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { prometheusPlugin } from './prometheus-plugin.js';

function context(overrides: Partial<PluginContext> = {}): PluginContext {
  return {
    requestId: 'request-1',
    requestType: 'chat_completion',
    provider: 'openai',
    model: 'gpt-4o-mini',
    fallbackIndex: 0,
    headers: {},
    values: new Map(),
    signal: new AbortController().signal,
    startedAt: performance.now(),
    ...overrides,
  };
}

const response = (): ChatResponse => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 },
  extra_fields: { provider: 'openai', model: 'gpt-4o-mini', latency: 250 },
});

const rateLimited: BifrostError = {
  is_bifrost_error: false,
  status_code: 429,
  error: { message: 'slow down' },
  extra_fields: { error_code: 'rate_limited' },
};

function httpEvent(overrides: Partial<HttpRequestEvent> = {}): HttpRequestEvent {
  return {
    method: 'POST',
    route: '/v1/chat/completions',
    status: 200,
    durationSeconds: 0.5,
    requestBytes: 120,
    responseBytes: 800,
    headers: {},
    ...overrides,
  };
}

/** The metrics as text, without comments, for matching single samples. */
async function samples(plugin: ReturnType<typeof prometheusPlugin>): Promise<string[]> {
  return (await plugin.metrics()).split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

describe('prometheusPlugin', () => {
  it('records a response: request, success, latency and tokens by provider, model and request type', async () => {
    const plugin = prometheusPlugin();
    const hooked = context();
    hooked.values.set(pluginValueKeys.retries, 2);

    plugin.postHook!(hooked, { response: response() });

    const lines = await samples(plugin);
    const labels = 'provider="openai",model="gpt-4o-mini",method="chat_completion"';
    expect(lines).toContain(`bifrost_upstream_requests_total{${labels}} 1`);
    expect(lines).toContain(`bifrost_success_requests_total{${labels}} 1`);
    expect(lines).toContain(`bifrost_input_tokens_total{${labels}} 9`);
    expect(lines).toContain(`bifrost_output_tokens_total{${labels}} 12`);
    expect(lines).toContain(`bifrost_upstream_latency_seconds_sum{${labels}} 0.25`);
    expect(lines).toContain(`bifrost_retries_total{${labels}} 2`);
    expect(lines).toContain(`bifrost_queue_wait_seconds_sum{${labels}} 0`);
  });

  it('records an error with its code as the reason', async () => {
    const plugin = prometheusPlugin();

    plugin.postHook!(context({ provider: 'anthropic', model: 'claude-3-5-haiku' }), { error: rateLimited });

    expect(await samples(plugin)).toContain(
      'bifrost_error_requests_total{provider="anthropic",model="claude-3-5-haiku",method="chat_completion",reason="rate_limited"} 1',
    );
  });

  it('leaves out queue wait and retries for a short-circuit, which never reached a provider', async () => {
    const plugin = prometheusPlugin();

    plugin.postHook!(context(), { response: response() });

    const text = await plugin.metrics();
    expect(text).not.toMatch(/^bifrost_queue_wait_seconds_count/m);
    expect(text).not.toMatch(/^bifrost_retries_total/m);
  });

  it('times the first stream chunk and the gaps between the later ones', async () => {
    const plugin = prometheusPlugin();
    const streamed = context({ requestType: 'chat_completion_stream' });
    const chunk = { id: 'c', object: 'chat.completion.chunk' as const, created: 1, model: 'm', choices: [] };

    for (let index = 0; index < 4; index++) plugin.onStreamChunk!(streamed, chunk);

    const labels = 'provider="openai",model="gpt-4o-mini",method="chat_completion_stream"';
    const lines = await samples(plugin);
    expect(lines).toContain(`bifrost_stream_first_token_latency_seconds_count{${labels}} 1`);
    expect(lines).toContain(`bifrost_stream_inter_token_latency_seconds_count{${labels}} 3`);
  });

  it('records HTTP requests by route template, method and status', async () => {
    const plugin = prometheusPlugin();

    plugin.onHttpRequest!(httpEvent());
    plugin.onHttpRequest!(httpEvent({ status: 400, requestBytes: 30, responseBytes: 90 }));

    const lines = await samples(plugin);
    const ok = 'path="/v1/chat/completions",method="POST",status="200"';
    expect(lines).toContain(`http_requests_total{${ok}} 1`);
    expect(lines).toContain('http_requests_total{path="/v1/chat/completions",method="POST",status="400"} 1');
    expect(lines).toContain(`http_request_duration_seconds_sum{${ok}} 0.5`);
    expect(lines).toContain(`http_request_size_bytes_sum{${ok}} 120`);
    expect(lines).toContain(`http_response_size_bytes_sum{${ok}} 800`);
  });

  it('values custom labels from x-bf-prom-<label> headers, from the flag and from its config', async () => {
    const plugin = prometheusPlugin({ custom_labels: ['tenant'] }, { prometheusLabels: ['team'] });
    const headers = { 'x-bf-prom-team': 'search', 'x-bf-prom-tenant': 'acme' };

    plugin.postHook!(context({ headers }), { response: response() });
    plugin.onHttpRequest!(httpEvent({ headers: { 'x-bf-prom-team': 'ads' } }));

    const lines = await samples(plugin);
    expect(lines).toContain(
      'bifrost_success_requests_total{provider="openai",model="gpt-4o-mini",method="chat_completion",team="search",tenant="acme"} 1',
    );
    expect(lines).toContain(
      'http_requests_total{path="/v1/chat/completions",method="POST",status="200",team="ads",tenant=""} 1',
    );
  });

  it('records models beyond max_label_values as other', async () => {
    const plugin = prometheusPlugin({ max_label_values: 2 });

    for (const model of ['m-1', 'm-2', 'm-3', 'm-4'])
      plugin.postHook!(context({ model }), { response: response() });

    const lines = (await samples(plugin)).filter((line) => line.startsWith('bifrost_success_requests_total'));
    expect(lines).toEqual([
      'bifrost_success_requests_total{provider="openai",model="m-1",method="chat_completion"} 1',
      'bifrost_success_requests_total{provider="openai",model="m-2",method="chat_completion"} 1',
      'bifrost_success_requests_total{provider="openai",model="other",method="chat_completion"} 2',
    ]);
  });

  it('folds label sets beyond max_series_per_metric into one series labelled other, and counts them', async () => {
    const plugin = prometheusPlugin({ max_series_per_metric: 2 }, { prometheusLabels: ['team'] });

    for (const team of ['a', 'b', 'c', 'd', 'a']) {
      const headers = { 'x-bf-prom-team': team };
      plugin.postHook!(context({ headers }), { response: response() });
      plugin.onHttpRequest!(httpEvent({ headers }));
    }

    const lines = await samples(plugin);
    expect(lines.filter((line) => line.startsWith('bifrost_success_requests_total'))).toEqual([
      'bifrost_success_requests_total{provider="openai",model="gpt-4o-mini",method="chat_completion",team="a"} 2',
      'bifrost_success_requests_total{provider="openai",model="gpt-4o-mini",method="chat_completion",team="b"} 1',
      'bifrost_success_requests_total{provider="other",model="other",method="other",team="other"} 2',
    ]);
    expect(lines).toContain('http_requests_total{path="other",method="other",status="other",team="other"} 2');
    expect(lines).toContain(
      'http_request_duration_seconds_count{path="other",method="other",status="other",team="other"} 2',
    );
    expect(lines).toContain('bifrost_metrics_series_overflow_total{metric="http_requests_total"} 2');
    expect(lines).toContain(
      'bifrost_metrics_series_overflow_total{metric="http_request_duration_seconds"} 2',
    );
    expect(lines).toContain('bifrost_metrics_series_overflow_total{metric="bifrost_input_tokens_total"} 2');
  });

  it('caps the label sets of the error counter, reasons included', async () => {
    const plugin = prometheusPlugin({ max_series_per_metric: 2 });
    const failed = (code: ErrorCode): BifrostError => ({
      ...rateLimited,
      extra_fields: { error_code: code },
    });

    const codes: ErrorCode[] = ['rate_limited', 'timeout', 'provider_error', 'rate_limited', 'cancelled'];
    for (const code of codes) plugin.postHook!(context(), { error: failed(code) });

    const lines = (await samples(plugin)).filter((line) => line.startsWith('bifrost_error_requests_total'));
    expect(lines).toEqual([
      'bifrost_error_requests_total{provider="openai",model="gpt-4o-mini",method="chat_completion",reason="rate_limited"} 2',
      'bifrost_error_requests_total{provider="openai",model="gpt-4o-mini",method="chat_completion",reason="timeout"} 1',
      'bifrost_error_requests_total{provider="other",model="other",method="other",reason="other"} 2',
    ]);
    expect(await samples(plugin)).toContain(
      'bifrost_metrics_series_overflow_total{metric="bifrost_error_requests_total"} 2',
    );
  });

  it('shows no overflow counter while every label set fits', async () => {
    const plugin = prometheusPlugin({ max_series_per_metric: 2 });

    plugin.postHook!(context(), { response: response() });

    expect(await plugin.metrics()).not.toMatch(/^bifrost_metrics_series_overflow_total/m);
  });

  it('reads in-flight and waiting per provider from the engine when scraped', async () => {
    const plugin = prometheusPlugin();
    plugin.setup!({
      providers: ['openai', 'groq'],
      queueStats: () => ({ openai: { inFlight: 3, waiting: 1 }, groq: { inFlight: 0, waiting: 0 } }),
    });

    const lines = await samples(plugin);
    expect(lines).toContain('bifrost_queue_in_flight_requests{provider="openai"} 3');
    expect(lines).toContain('bifrost_queue_waiting_requests{provider="openai"} 1');
    expect(lines).toContain('bifrost_queue_in_flight_requests{provider="groq"} 0');
  });

  it('serves the metrics on GET /metrics, or the configured path', async () => {
    const route = prometheusPlugin({ path: '/internal/metrics' }).httpRoutes![0]!;

    const answer = await route.handle(new Request('http://gateway/internal/metrics'));

    expect(route).toMatchObject({ method: 'GET', path: '/internal/metrics' });
    expect(answer.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(await answer.text()).toContain('# TYPE bifrost_upstream_requests_total counter');
  });

  it('serves the same text on its route as metrics() returns', async () => {
    const plugin = prometheusPlugin();
    plugin.postHook!(context(), { response: response() });

    const served = await (await plugin.httpRoutes![0]!.handle(new Request('http://gateway/metrics'))).text();

    expect(served).toContain('bifrost_success_requests_total{');
    expect(served).toBe(await plugin.metrics());
  });

  it.each([
    [{ bogus: true }, 'config.bogus is not a known option'],
    [{ custom_labels: 'team' }, 'config.custom_labels must be an array of strings'],
    [{ max_label_values: 0 }, 'config.max_label_values must be a whole number of at least 1'],
    [{ max_series_per_metric: 1.5 }, 'config.max_series_per_metric must be a whole number of at least 1'],
    [{ path: 'metrics' }, 'config.path must be a string starting with "/"'],
    [{ custom_labels: ['bad-name'] }, 'custom label "bad-name" is not a valid name'],
    [{ custom_labels: ['provider'] }, 'custom label "provider" clashes with a built-in label'],
  ])('refuses the config %j', (config, message) => {
    expect(() => prometheusPlugin(config)).toThrow(message);
  });
});
