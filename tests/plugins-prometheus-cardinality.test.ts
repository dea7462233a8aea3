import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';

// Many distinct team × env header pairs, each label well under its own cap of 100 values: only a cap on the
// combinations keeps the series bounded. A small cap keeps the run short.
const maxSeries = 40;
const teams = 20;
const envs = 15;
const concurrency = 16;

let upstream: OpenAIUpstream;
let gateway: GatewayProcess;
let metrics: string;
let metricsStatus: number;
const statuses = new Map<number, number>();

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
  gateway = await startGateway({
    config: {
      providers: {
        openai: { keys: [{ value: 'sk-cardinality' }], network_config: { base_url: upstream.url } },
      },
      plugins: [{ name: 'prometheus', enabled: true, config: { max_series_per_metric: maxSeries } }],
    },
    args: ['-plugins', 'prometheus', '-prometheus-labels', 'team,env'],
  });
  const pairs = Array.from({ length: teams * envs }, (_, index) => [
    `team-${index % teams}`,
    `env-${Math.floor(index / teams)}`,
  ]);
  const send = async () => {
    for (let pair = pairs.pop(); pair !== undefined; pair = pairs.pop()) {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-bf-prom-team': pair[0]!,
          'x-bf-prom-env': pair[1]!,
        },
        body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, send));
  const scrape = await fetch(`${gateway.url}/metrics`);
  metricsStatus = scrape.status;
  metrics = await scrape.text();
}, 60_000);
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

/** The samples of `name` as label text and value. */
function samplesOf(name: string): { labels: string; value: number }[] {
  return metrics.split('\n').flatMap((line) => {
    const parsed = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    return parsed && parsed[1] === name ? [{ labels: parsed[2] ?? '', value: Number(parsed[3]) }] : [];
  });
}

const overflowed = teams * envs - maxSeries;

describe('prometheus with more label combinations than max_series_per_metric', () => {
  it('answers every request and the scrape', () => {
    expect(Object.fromEntries(statuses)).toEqual({ 200: teams * envs });
    expect(metricsStatus).toBe(200);
  });

  it('keeps the series of each metric at the cap plus one overflow series', () => {
    for (const name of ['http_requests_total', 'bifrost_upstream_requests_total']) {
      const samples = samplesOf(name);

      expect(samples).toHaveLength(maxSeries + 1);
      expect(samples.reduce((sum, sample) => sum + sample.value, 0)).toBe(teams * envs);
    }
    expect(samplesOf('http_request_duration_seconds_count')).toHaveLength(maxSeries + 1);
  });

  it('folds the later combinations into one series whose labels are all other', () => {
    expect(samplesOf('http_requests_total')).toContainEqual({
      labels: 'path="other",method="other",status="other",team="other",env="other"',
      value: overflowed,
    });
    expect(samplesOf('bifrost_success_requests_total')).toContainEqual({
      labels: 'provider="other",model="other",method="other",team="other",env="other"',
      value: overflowed,
    });
  });

  it('counts the observations that went to the overflow series, per metric', () => {
    const overflow = samplesOf('bifrost_metrics_series_overflow_total');

    expect(overflow).toContainEqual({ labels: 'metric="http_requests_total"', value: overflowed });
    expect(overflow).toContainEqual({ labels: 'metric="http_request_duration_seconds"', value: overflowed });
    expect(overflow).toContainEqual({
      labels: 'metric="bifrost_upstream_requests_total"',
      value: overflowed,
    });
  });
});
