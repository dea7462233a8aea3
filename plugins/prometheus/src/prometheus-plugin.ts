import type {
  BifrostResponse,
  HttpRequestEvent,
  Plugin,
  PluginContext,
  PluginGateway,
  PostHookOutcome,
} from '@bifrost/schemas';
import { pluginValueKeys } from '@bifrost/schemas';
import type { Histogram } from 'prom-client';
import { BatchedCounter, type PendingCount } from './batched-counter.js';
import { BoundedLabelValues } from './bounded-label-values.js';
import { createGatewayMetrics, engineLabelNames, type GatewayMetrics, httpLabelNames } from './metrics.js';

/** Options of {@link prometheusPlugin}, as written under the plugin's `config` in the config file. */
export interface PrometheusPluginConfig {
  /**
   * Extra labels on every request metric, valued from the `x-bf-prom-<label>` request header; added to those of
   * `-prometheus-labels` / `client.prometheus_labels`.
   * @default []
   */
  custom_labels?: string[];
  /** Distinct values kept per model and custom label; later ones are recorded as `other`. @default 100 */
  max_label_values?: number;
  /** Where the metrics are served on the HTTP transport. @default "/metrics" */
  path?: string;
}

/** What the plugin reads of the factory context the gateway passes; all optional for library use. */
export interface PrometheusPluginContext {
  /** Label names from `-prometheus-labels` or `client.prometheus_labels`. */
  prometheusLabels?: readonly string[];
}

/** The Prometheus plugin: a {@link Plugin} whose registry can also be read directly. */
export interface PrometheusPlugin extends Plugin {
  /** The metrics in Prometheus' text format, as `GET /metrics` serves them. */
  metrics(): Promise<string>;
}

const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const reservedLabels = new Set<string>([...httpLabelNames, ...engineLabelNames, 'reason', 'le']);
const configKeys = new Set(['custom_labels', 'max_label_values', 'path']);
/** Where a stream's timing lives in `context.values` between chunks. */
const streamStateKey = 'prometheus.stream';

/** Joins label values into a cache key; a control character, since label values are text from callers. */
const keySeparator = '\u0001';

/**
 * The HTTP metrics of one label tuple, resolved once so that a request builds no label object; the histograms'
 * children still hash their labels in prom-client on each observation.
 */
interface HttpSeries {
  requests: PendingCount;
  duration: Histogram.Internal<string>;
  requestSize: Histogram.Internal<string>;
  responseSize: Histogram.Internal<string>;
}

/** The engine metrics of one label tuple; `labels` is kept for the error counter, which adds `reason`. */
interface EngineSeries {
  labels: Readonly<Record<string, string>>;
  upstreamRequests: PendingCount;
  upstreamLatency: Histogram.Internal<string>;
  successRequests: PendingCount;
  inputTokens: PendingCount;
  outputTokens: PendingCount;
  streamFirstTokenLatency: Histogram.Internal<string>;
  streamInterTokenLatency: Histogram.Internal<string>;
  retries: PendingCount;
  queueWait: Histogram.Internal<string>;
  /** The error counter's children, by reason. */
  errors: Map<string, PendingCount>;
}

/** The counters a request increments, batched until a scrape. */
interface BatchedCounters {
  httpRequests: BatchedCounter;
  upstreamRequests: BatchedCounter;
  successRequests: BatchedCounter;
  errorRequests: BatchedCounter;
  inputTokens: BatchedCounter;
  outputTokens: BatchedCounter;
  retries: BatchedCounter;
}

/** What the plugin keeps about a stream between its chunks. */
interface StreamState {
  last: number;
  series: EngineSeries;
}

/**
 * Builds the Prometheus plugin: it records HTTP, upstream, token, stream and queue metrics and serves them on
 * `GET /metrics`. Throws on an invalid config, naming the field, so the gateway refuses to start.
 *
 * @example
 * const bifrost = await Bifrost.init({ account, plugins: [prometheusPlugin({ custom_labels: ['team'] })] });
 */
export function prometheusPlugin(
  config: unknown = {},
  context: PrometheusPluginContext = {},
): PrometheusPlugin {
  const options = parseConfig(config);
  const customLabels = [...new Set([...(context.prometheusLabels ?? []), ...(options.custom_labels ?? [])])];
  for (const label of customLabels) {
    if (!labelNamePattern.test(label))
      throw new Error(`custom label ${JSON.stringify(label)} is not a valid name`);
    if (reservedLabels.has(label)) throw new Error(`custom label "${label}" clashes with a built-in label`);
  }
  const limit = options.max_label_values ?? 100;
  const models = new BoundedLabelValues(limit);
  const customValues = customLabels.map((label) => ({
    label,
    header: `x-bf-prom-${label.toLowerCase()}`,
    values: new BoundedLabelValues(limit),
  }));
  let gateway: PluginGateway | undefined;
  const metrics = createGatewayMetrics(customLabels, () => gateway?.queueStats() ?? {});

  const counters: BatchedCounters = {
    httpRequests: new BatchedCounter(metrics.httpRequests),
    upstreamRequests: new BatchedCounter(metrics.upstreamRequests),
    successRequests: new BatchedCounter(metrics.successRequests),
    errorRequests: new BatchedCounter(metrics.errorRequests),
    inputTokens: new BatchedCounter(metrics.inputTokens),
    outputTokens: new BatchedCounter(metrics.outputTokens),
    retries: new BatchedCounter(metrics.retries),
  };
  const scrape = (): Promise<string> => {
    for (const counter of Object.values(counters)) counter.flush();
    return metrics.registry.metrics();
  };
  // One entry per label tuple. Their number is bounded as the series themselves are (prom-client keeps one per
  // tuple for the life of the process), and every value that comes from callers passes a BoundedLabelValues.
  const httpSeries = new Map<string, HttpSeries>();
  const engineSeries = new Map<string, EngineSeries>();
  // Reused for each request's custom label values, so that looking a tuple up allocates only its key.
  const customScratch: string[] = new Array(customValues.length);

  /** Admits the custom label values of `headers` into `customScratch` and returns them as a key suffix. */
  const customKey = (headers: Readonly<Record<string, string>>): string => {
    let key = '';
    for (let index = 0; index < customValues.length; index++) {
      const custom = customValues[index]!;
      const value = custom.values.admit(headers[custom.header]);
      customScratch[index] = value;
      key += keySeparator + value;
    }
    return key;
  };
  const withCustom = (labels: Record<string, string>): Record<string, string> => {
    for (let index = 0; index < customValues.length; index++) {
      labels[customValues[index]!.label] = customScratch[index]!;
    }
    return labels;
  };

  const httpSeriesOf = (event: HttpRequestEvent): HttpSeries => {
    const key =
      event.route + keySeparator + event.method + keySeparator + event.status + customKey(event.headers);
    let series = httpSeries.get(key);
    if (series === undefined) {
      series = createHttpSeries(
        metrics,
        counters,
        withCustom({ path: event.route, method: event.method, status: String(event.status) }),
      );
      httpSeries.set(key, series);
    }
    return series;
  };
  const engineSeriesOf = (context: PluginContext): EngineSeries => {
    const model = models.admit(context.model);
    const key =
      context.provider +
      keySeparator +
      model +
      keySeparator +
      context.requestType +
      customKey(context.headers);
    let series = engineSeries.get(key);
    if (series === undefined) {
      series = createEngineSeries(
        metrics,
        counters,
        withCustom({ provider: context.provider, model, method: context.requestType }),
      );
      engineSeries.set(key, series);
    }
    return series;
  };

  return {
    name: 'prometheus',
    metrics: scrape,
    httpRoutes: [
      {
        method: 'GET',
        path: options.path ?? '/metrics',
        handle: async () =>
          new Response(await scrape(), {
            headers: { 'content-type': metrics.registry.contentType },
          }),
      },
    ],
    setup(engine: PluginGateway) {
      gateway = engine;
    },
    onHttpRequest(event: HttpRequestEvent) {
      const series = httpSeriesOf(event);
      series.requests.add();
      series.duration.observe(event.durationSeconds);
      series.requestSize.observe(event.requestBytes);
      series.responseSize.observe(event.responseBytes);
    },
    onStreamChunk(context: PluginContext) {
      const now = performance.now();
      const state = context.values.get(streamStateKey) as StreamState | undefined;
      if (state === undefined) {
        // The series is looked up once per stream, not per chunk.
        const series = engineSeriesOf(context);
        series.streamFirstTokenLatency.observe((now - context.startedAt) / 1000);
        context.values.set(streamStateKey, { last: now, series } satisfies StreamState);
        return;
      }
      state.series.streamInterTokenLatency.observe((now - state.last) / 1000);
      state.last = now;
    },
    postHook(context: PluginContext, outcome: PostHookOutcome) {
      const series = engineSeriesOf(context);
      series.upstreamRequests.add();
      const retries = context.values.get(pluginValueKeys.retries) as number | undefined;
      if (retries !== undefined) {
        // Set only when the provider was called: a short-circuit neither queued nor retried.
        if (retries > 0) series.retries.add(retries);
        const waitedMs = (context.values.get(pluginValueKeys.queueWaitMs) as number | undefined) ?? 0;
        series.queueWait.observe(waitedMs / 1000);
      }
      if (outcome.response) {
        recordResponse(outcome.response, series, context);
      } else {
        errorCount(series, outcome.error?.extra_fields?.error_code ?? 'unknown').add();
        series.upstreamLatency.observe((performance.now() - context.startedAt) / 1000);
      }
    },
  };

  function recordResponse(response: BifrostResponse, series: EngineSeries, context: PluginContext): void {
    series.successRequests.add();
    const latencyMs = response.extra_fields?.latency ?? performance.now() - context.startedAt;
    series.upstreamLatency.observe(latencyMs / 1000);
    const usage = response.usage;
    if (usage === undefined) return;
    if (usage.prompt_tokens > 0) series.inputTokens.add(usage.prompt_tokens);
    if ('completion_tokens' in usage && usage.completion_tokens > 0) {
      series.outputTokens.add(usage.completion_tokens);
    }
  }

  function errorCount(series: EngineSeries, reason: string): PendingCount {
    let count = series.errors.get(reason);
    if (count === undefined) {
      count = counters.errorRequests.child({ ...series.labels, reason });
      series.errors.set(reason, count);
    }
    return count;
  }
}

/**
 * prom-client's children record nothing until first used, so resolving all of a tuple's children up front adds no
 * series to the output.
 */
function createHttpSeries(
  metrics: GatewayMetrics,
  counters: BatchedCounters,
  labels: Record<string, string>,
): HttpSeries {
  return {
    requests: counters.httpRequests.child(labels),
    duration: metrics.httpRequestDuration.labels(labels),
    requestSize: metrics.httpRequestSize.labels(labels),
    responseSize: metrics.httpResponseSize.labels(labels),
  };
}

function createEngineSeries(
  metrics: GatewayMetrics,
  counters: BatchedCounters,
  labels: Record<string, string>,
): EngineSeries {
  return {
    labels,
    upstreamRequests: counters.upstreamRequests.child(labels),
    upstreamLatency: metrics.upstreamLatency.labels(labels),
    successRequests: counters.successRequests.child(labels),
    inputTokens: counters.inputTokens.child(labels),
    outputTokens: counters.outputTokens.child(labels),
    streamFirstTokenLatency: metrics.streamFirstTokenLatency.labels(labels),
    streamInterTokenLatency: metrics.streamInterTokenLatency.labels(labels),
    retries: counters.retries.child(labels),
    queueWait: metrics.queueWait.labels(labels),
    errors: new Map(),
  };
}

function parseConfig(config: unknown): PrometheusPluginConfig {
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) throw new Error('config must be an object');
  for (const key of Object.keys(config)) {
    if (!configKeys.has(key)) throw new Error(`config.${key} is not a known option`);
  }
  const { custom_labels, max_label_values, path } = config as Record<string, unknown>;
  if (
    custom_labels !== undefined &&
    (!Array.isArray(custom_labels) || custom_labels.some((label) => typeof label !== 'string'))
  ) {
    throw new Error('config.custom_labels must be an array of strings');
  }
  if (
    max_label_values !== undefined &&
    (typeof max_label_values !== 'number' || !Number.isInteger(max_label_values) || max_label_values < 1)
  ) {
    throw new Error('config.max_label_values must be a whole number of at least 1');
  }
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) {
    throw new Error('config.path must be a string starting with "/"');
  }
  return config as PrometheusPluginConfig;
}
