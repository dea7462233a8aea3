import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds; from 5 ms to a minute, for HTTP and upstream latencies. */
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Seconds; finer at the low end, for time to first token and between tokens. */
const tokenLatencyBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Bytes; from 100 B to 10 MiB. */
const sizeBuckets = [100, 1_000, 10_000, 100_000, 1_000_000, 10_485_760];

/** Labels of the HTTP metrics before the custom ones. */
export const httpLabelNames = ['path', 'method', 'status'] as const;
/** Labels of the engine metrics before the custom ones. */
export const engineLabelNames = ['provider', 'model', 'method'] as const;

/** Names of the metrics that carry labels from requests, by their field in {@link GatewayMetrics}. */
export const metricNames = {
  httpRequests: 'http_requests_total',
  httpRequestDuration: 'http_request_duration_seconds',
  httpRequestSize: 'http_request_size_bytes',
  httpResponseSize: 'http_response_size_bytes',
  upstreamRequests: 'bifrost_upstream_requests_total',
  upstreamLatency: 'bifrost_upstream_latency_seconds',
  successRequests: 'bifrost_success_requests_total',
  errorRequests: 'bifrost_error_requests_total',
  inputTokens: 'bifrost_input_tokens_total',
  outputTokens: 'bifrost_output_tokens_total',
  streamFirstTokenLatency: 'bifrost_stream_first_token_latency_seconds',
  streamInterTokenLatency: 'bifrost_stream_inter_token_latency_seconds',
  retries: 'bifrost_retries_total',
  queueWait: 'bifrost_queue_wait_seconds',
  cost: 'bifrost_cost_total',
} as const;

/** Every metric the plugin records, registered in a registry of its own. */
export interface GatewayMetrics {
  registry: Registry;
  httpRequests: Counter;
  httpRequestDuration: Histogram;
  httpRequestSize: Histogram;
  httpResponseSize: Histogram;
  upstreamRequests: Counter;
  upstreamLatency: Histogram;
  successRequests: Counter;
  errorRequests: Counter;
  inputTokens: Counter;
  outputTokens: Counter;
  streamFirstTokenLatency: Histogram;
  streamInterTokenLatency: Histogram;
  retries: Counter;
  queueWait: Histogram;
  cost: Counter;
  queueInFlight: Gauge;
  queueWaiting: Gauge;
  seriesOverflow: Counter;
}

/** Per-provider queue counts, as `Bifrost.queueStats()` reports them. */
export type QueueStats = Record<string, { inFlight: number; waiting: number }>;

/**
 * Creates the metrics in a fresh registry. `customLabels` are appended to every metric's labels except the
 * queue gauges, which `readQueues` fills at scrape time, per provider, so requests pay nothing for them.
 */
export function createGatewayMetrics(
  customLabels: readonly string[],
  readQueues: () => QueueStats,
): GatewayMetrics {
  const registry = new Registry();
  const http = [...httpLabelNames, ...customLabels];
  const engine = [...engineLabelNames, ...customLabels];
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: metricNames.httpRequests,
      help: 'HTTP requests answered, by route template, method and status.',
      labelNames: http,
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: metricNames.httpRequestDuration,
      help: 'Time from an HTTP request arriving until its answer (a stream: its last byte) was ready.',
      labelNames: http,
      buckets: latencyBuckets,
      registers,
    }),
    httpRequestSize: new Histogram({
      name: metricNames.httpRequestSize,
      help: 'HTTP request body sizes, from Content-Length.',
      labelNames: http,
      buckets: sizeBuckets,
      registers,
    }),
    httpResponseSize: new Histogram({
      name: metricNames.httpResponseSize,
      help: 'HTTP response body sizes; a stream counts every event written.',
      labelNames: http,
      buckets: sizeBuckets,
      registers,
    }),
    upstreamRequests: new Counter({
      name: metricNames.upstreamRequests,
      help: 'Requests handled per provider attempt (a fallback counts again), by provider, model and request type.',
      labelNames: engine,
      registers,
    }),
    upstreamLatency: new Histogram({
      name: metricNames.upstreamLatency,
      help: 'Time an attempt took at its provider, retries included; a stream until its end.',
      labelNames: engine,
      buckets: latencyBuckets,
      registers,
    }),
    successRequests: new Counter({
      name: metricNames.successRequests,
      help: 'Attempts that ended with an answer.',
      labelNames: engine,
      registers,
    }),
    errorRequests: new Counter({
      name: metricNames.errorRequests,
      help: 'Attempts that ended with an error, by error code (reason).',
      labelNames: [...engineLabelNames, 'reason', ...customLabels],
      registers,
    }),
    inputTokens: new Counter({
      name: metricNames.inputTokens,
      help: 'Prompt tokens, as the provider reported them.',
      labelNames: engine,
      registers,
    }),
    outputTokens: new Counter({
      name: metricNames.outputTokens,
      help: 'Completion tokens, as the provider reported them.',
      labelNames: engine,
      registers,
    }),
    streamFirstTokenLatency: new Histogram({
      name: metricNames.streamFirstTokenLatency,
      help: 'Time from a streamed request entering the engine to its first chunk.',
      labelNames: engine,
      buckets: tokenLatencyBuckets,
      registers,
    }),
    streamInterTokenLatency: new Histogram({
      name: metricNames.streamInterTokenLatency,
      help: 'Time between consecutive chunks of a stream.',
      labelNames: engine,
      buckets: tokenLatencyBuckets,
      registers,
    }),
    retries: new Counter({
      name: metricNames.retries,
      help: 'Retries against a provider (not counting the first try).',
      labelNames: engine,
      registers,
    }),
    queueWait: new Histogram({
      name: metricNames.queueWait,
      help: "Time an attempt waited for a slot in its provider's queue; 0 when a slot was free.",
      labelNames: engine,
      buckets: tokenLatencyBuckets,
      registers,
    }),
    cost: new Counter({
      name: metricNames.cost,
      help: 'Dollars spent, as governance prices each answer, by provider, model and virtual key id (empty without one).',
      labelNames: ['provider', 'model', 'virtual_key'],
      registers,
    }),
    queueInFlight: new Gauge({
      name: 'bifrost_queue_in_flight_requests',
      help: 'Requests running against each provider, read at scrape time.',
      labelNames: ['provider'],
      registers,
      collect() {
        for (const [provider, stats] of Object.entries(readQueues())) this.set({ provider }, stats.inFlight);
      },
    }),
    queueWaiting: new Gauge({
      name: 'bifrost_queue_waiting_requests',
      help: "Requests waiting in each provider's queue, read at scrape time.",
      labelNames: ['provider'],
      registers,
      collect() {
        for (const [provider, stats] of Object.entries(readQueues())) this.set({ provider }, stats.waiting);
      },
    }),
    seriesOverflow: new Counter({
      name: 'bifrost_metrics_series_overflow_total',
      help: 'Observations recorded in a metric\'s overflow series (every label "other") because the metric already had max_series_per_metric label sets.',
      labelNames: ['metric'],
      registers,
    }),
  };
}
