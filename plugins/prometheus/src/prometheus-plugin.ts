import type {
  BifrostResponse,
  HttpRequestEvent,
  Plugin,
  PluginContext,
  PluginGateway,
  PostHookOutcome,
} from '@bifrost/schemas';
import { pluginValueKeys } from '@bifrost/schemas';
import { BatchedCounter } from './batched-counter.js';
import { BoundedLabelValues, overflowLabelValue } from './bounded-label-values.js';
import { CostSeries } from './cost-series.js';
import {
  type BatchedCounters,
  createEngineSeries,
  createHttpSeries,
  type EngineSeries,
  type HttpSeries,
} from './gateway-series.js';
import { createGatewayMetrics, engineLabelNames, httpLabelNames, metricNames } from './metrics.js';
import { renderMetrics, streamText } from './render-metrics.js';
import { type Count, SeriesOverflow } from './series-overflow.js';

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
  /**
   * Distinct label sets kept per metric. Each later label set is recorded in one overflow series whose labels are
   * all `other`, and counted in `bifrost_metrics_series_overflow_total{metric}`. Bounds the memory the metrics hold
   * and the time and size of a scrape, however the labels combine.
   * @default 2000
   */
  max_series_per_metric?: number;
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
const configKeys = new Set(['custom_labels', 'max_label_values', 'max_series_per_metric', 'path']);
/** Where a stream's timing lives in `context.values` between chunks. */
const streamStateKey = 'prometheus.stream';

/** Joins label values into a cache key; a control character, since label values are text from callers. */
const keySeparator = '\u0001';

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
    cost: new BatchedCounter(metrics.cost),
    seriesOverflow: new BatchedCounter(metrics.seriesOverflow),
  };
  /** The metrics text, metric by metric; the counters are flushed first so that it includes every request. */
  const render = (): AsyncGenerator<string> => {
    for (const counter of Object.values(counters)) counter.flush();
    return renderMetrics(metrics.registry);
  };
  const scrape = async (): Promise<string> => {
    let text = '';
    for await (const chunk of render()) text += chunk;
    return text;
  };
  // One entry per label set, at most maxSeries of each: prom-client keeps a series per label set for the life of
  // the process, and label values from callers combine (100 teams × 100 envs × routes × statuses) into far more
  // series than a scrape can render. Later label sets share one overflow series, created on first use.
  const maxSeries = options.max_series_per_metric ?? 2000;
  const overflow = new SeriesOverflow(counters.seriesOverflow);
  const httpSeries = new Map<string, HttpSeries>();
  const engineSeries = new Map<string, EngineSeries>();
  let httpOverflow: HttpSeries | undefined;
  let engineOverflow: EngineSeries | undefined;
  let errorOverflow: Count | undefined;
  /** Label sets of the error counter, which multiplies the engine's by `reason`. */
  let errorSeries = 0;
  const costs = new CostSeries(counters.cost, overflow, maxSeries, models, new BoundedLabelValues(limit));
  const otherLabels = (names: readonly string[]): Record<string, string> =>
    Object.fromEntries([...names, ...customLabels].map((name) => [name, overflowLabelValue]));
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
      if (httpSeries.size >= maxSeries) {
        httpOverflow ??= createHttpSeries(metrics, counters, otherLabels(httpLabelNames), overflow);
        return httpOverflow;
      }
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
      if (engineSeries.size >= maxSeries) {
        engineOverflow ??= createEngineSeries(metrics, counters, otherLabels(engineLabelNames), overflow);
        return engineOverflow;
      }
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
        // Streamed as rendered: no single string of the whole output, and the event loop turns between metrics.
        handle: () =>
          new Response(streamText(render()), {
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
      const waitedMs = context.values.get(pluginValueKeys.queueWaitMs) as number | undefined;
      // Set only when the request reached the queue: a short-circuit neither queued nor retried. A request
      // refused for waiting too long (max_queue_wait_in_seconds) has a wait and no retry count.
      if (retries !== undefined || waitedMs !== undefined) {
        if (retries !== undefined && retries > 0) series.retries.add(retries);
        series.queueWait.observe((waitedMs ?? 0) / 1000);
      }
      // Governance's postHook runs before this one (it is registered later) and leaves the answer's price.
      const cost = context.values.get(pluginValueKeys.cost);
      if (typeof cost === 'number' && cost > 0) {
        const virtualKey = context.values.get(pluginValueKeys.virtualKeyId);
        costs.add(
          {
            provider: context.provider,
            model: context.model,
            virtualKey: typeof virtualKey === 'string' ? virtualKey : '',
          },
          cost,
        );
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

  function errorCount(series: EngineSeries, reason: string): Count {
    let count = series.errors.get(reason);
    if (count === undefined) {
      if (series === engineOverflow || errorSeries >= maxSeries) {
        errorOverflow ??= overflow.count(
          metricNames.errorRequests,
          counters.errorRequests.child(otherLabels([...engineLabelNames, 'reason'])),
        );
        return errorOverflow;
      }
      errorSeries++;
      count = counters.errorRequests.child({ ...series.labels, reason });
      series.errors.set(reason, count);
    }
    return count;
  }
}

function parseConfig(config: unknown): PrometheusPluginConfig {
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) throw new Error('config must be an object');
  for (const key of Object.keys(config)) {
    if (!configKeys.has(key)) throw new Error(`config.${key} is not a known option`);
  }
  const { custom_labels, max_label_values, max_series_per_metric, path } = config as Record<string, unknown>;
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
  if (
    max_series_per_metric !== undefined &&
    (typeof max_series_per_metric !== 'number' ||
      !Number.isInteger(max_series_per_metric) ||
      max_series_per_metric < 1)
  ) {
    throw new Error('config.max_series_per_metric must be a whole number of at least 1');
  }
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) {
    throw new Error('config.path must be a string starting with "/"');
  }
  return config as PrometheusPluginConfig;
}
