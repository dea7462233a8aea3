import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, runGateway, startGateway } from './support/gateway-process.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import { postJson } from './support/post-json.js';

// `prometheus` resolves to @bifrost/plugin-prometheus, which the root package.json installs from the workspace.
let upstream: OpenAIUpstream;
let gateway: GatewayProcess;
let metrics: string;
const answers: Record<string, { status: number; body: JsonObject }> = {};
let streamEvents: JsonObject[];

type JsonObject = Record<string, unknown> & { usage?: { prompt_tokens: number; completion_tokens: number } };

function openAIAt(url: string) {
  return {
    providers: {
      openai: {
        keys: [{ value: 'sk-metrics' }],
        network_config: { base_url: url, max_retries: 1, retry_backoff_initial: 1, retry_backoff_max: 2 },
      },
    },
  };
}

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
  gateway = await startGateway({
    config: openAIAt(upstream.url),
    args: ['-plugins', 'prometheus', '-prometheus-labels', 'team'],
  });
  const chat = (content: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
    postJson(
      `${gateway.url}/v1/chat/completions`,
      { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content }], ...extra },
      { headers },
    );
  answers.success = await chat('count my tokens', {}, { 'x-bf-prom-team': 'search' });
  // Two 500s: the first is retried once, the second ends the request.
  upstream.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 500 });
  answers.error = await chat('fail please');
  const stream = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'stream three words' }],
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  streamEvents = (await stream.text())
    .split('\n\n')
    .filter((event) => event.startsWith('data: {'))
    .map((event) => JSON.parse(event.slice('data: '.length)) as JsonObject);
  answers.unknown = { status: (await fetch(`${gateway.url}/v1/unknown/abc123`)).status, body: {} };
  metrics = await (await fetch(`${gateway.url}/metrics`)).text();
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

/** The value of the one sample of `name` whose labels include `labels`; undefined when there is none. */
function sample(name: string, labels: Record<string, string>): number | undefined {
  const matches = metrics.split('\n').flatMap((line) => {
    const parsed = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!parsed || parsed[1] !== name) return [];
    const found = Object.fromEntries(
      [...(parsed[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((match) => [match[1], match[2]]),
    );
    return Object.entries(labels).every(([key, value]) => found[key] === value) ? [Number(parsed[3])] : [];
  });
  expect(matches.length).toBeLessThanOrEqual(1);
  return matches[0];
}

const chatLabels = { provider: 'openai', model: 'gpt-4o-mini' };

describe('GET /metrics after real traffic', () => {
  it('serves the Prometheus text format', async () => {
    const response = await fetch(`${gateway.url}/metrics`);

    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('# TYPE http_requests_total counter');
  });

  it('counts HTTP requests by route template, method and status, with the custom label from its header', () => {
    const route = { path: '/v1/chat/completions', method: 'POST' };

    expect(answers.success!.status).toBe(200);
    expect(sample('http_requests_total', { ...route, status: '200', team: 'search' })).toBe(1);
    // The stream carries no team header, so its label is empty.
    expect(sample('http_requests_total', { ...route, status: '200', team: '' })).toBe(1);
    expect(sample('http_requests_total', { ...route, status: String(answers.error!.status), team: '' })).toBe(
      1,
    );
    expect(sample('http_request_duration_seconds_count', { ...route, status: '200', team: 'search' })).toBe(
      1,
    );
    expect(sample('http_response_size_bytes_sum', { ...route, status: '200', team: '' })).toBeGreaterThan(0);
  });

  it('collapses an unknown path into one label value instead of the raw path', () => {
    expect(answers.unknown!.status).toBe(404);
    expect(sample('http_requests_total', { path: 'unmatched', method: 'GET', status: '404' })).toBe(1);
    expect(metrics).not.toContain('abc123');
  });

  it('counts successes, errors with their reason, and retries per provider, model and request type', () => {
    const chat = { ...chatLabels, method: 'chat_completion' };

    expect(answers.error!.status).toBe(500);
    expect(sample('bifrost_upstream_requests_total', { ...chat, team: 'search' })).toBe(1);
    expect(sample('bifrost_upstream_requests_total', { ...chat, team: '' })).toBe(1);
    expect(sample('bifrost_success_requests_total', { ...chat, team: 'search' })).toBe(1);
    expect(sample('bifrost_error_requests_total', { ...chat, reason: 'provider_error', team: '' })).toBe(1);
    expect(sample('bifrost_retries_total', { ...chat, team: '' })).toBe(1);
    expect(sample('bifrost_upstream_latency_seconds_count', { ...chat, team: '' })).toBe(1);
  });

  it('sums the tokens the provider reported', () => {
    const usage = answers.success!.body.usage!;

    expect(sample('bifrost_input_tokens_total', { ...chatLabels, method: 'chat_completion' })).toBe(
      usage.prompt_tokens,
    );
    expect(sample('bifrost_output_tokens_total', { ...chatLabels, method: 'chat_completion' })).toBe(
      usage.completion_tokens,
    );
  });

  it('records time to first token and between tokens for a stream, and its tokens', () => {
    const stream = { ...chatLabels, method: 'chat_completion_stream' };
    const usage = streamEvents.find((event) => event.usage)!.usage!;

    expect(sample('bifrost_stream_first_token_latency_seconds_count', stream)).toBe(1);
    expect(sample('bifrost_stream_inter_token_latency_seconds_count', stream)).toBe(streamEvents.length - 1);
    expect(sample('bifrost_success_requests_total', stream)).toBe(1);
    expect(sample('bifrost_output_tokens_total', stream)).toBe(usage.completion_tokens);
  });

  it('reports queue wait per request and in-flight and waiting per provider', () => {
    expect(
      sample('bifrost_queue_wait_seconds_count', { ...chatLabels, method: 'chat_completion', team: '' }),
    ).toBe(1);
    expect(sample('bifrost_queue_in_flight_requests', { provider: 'openai' })).toBe(0);
    expect(sample('bifrost_queue_waiting_requests', { provider: 'openai' })).toBe(0);
  });
});

describe('start-up', () => {
  it('exits 1 naming the prometheus plugin when its config is invalid', async () => {
    const run = await runGateway({
      config: {
        ...openAIAt(upstream.url),
        plugins: [{ name: 'prometheus', config: { max_label_values: 0 } }],
      },
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'plugin "prometheus": rejected its config: config.max_label_values must be a whole number of at least 1',
    );
  });

  it('exits 1 naming the prometheus plugin when a custom label clashes with a built-in one', async () => {
    const run = await runGateway({
      config: openAIAt(upstream.url),
      args: ['-plugins', 'prometheus', '-prometheus-labels', 'model'],
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('plugin "prometheus": rejected its config: custom label "model" clashes');
  });
});
