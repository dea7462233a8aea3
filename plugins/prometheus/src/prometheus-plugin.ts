import type {
  BifrostResponse,
  HttpRequestEvent,
  Plugin,
  PluginContext,
  PluginGateway,
  PostHookOutcome,
} from '@bifrost/schemas';
import { pluginValueKeys } from '@bifrost/schemas';
import { BoundedLabelValues } from './bounded-label-values.js';
import { createGatewayMetrics, engineLabelNames, httpLabelNames } from './metrics.js';

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

/** What the plugin keeps about a stream between its chunks. */
interface StreamState {
  last: number;
  labels: Record<string, string | number>;
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

  const withCustom = (labels: Record<string, string | number>, headers: Readonly<Record<string, string>>) => {
    for (const custom of customValues) labels[custom.label] = custom.values.admit(headers[custom.header]);
    return labels;
  };
  const engineLabels = (context: PluginContext) =>
    withCustom(
      { provider: context.provider, model: models.admit(context.model), method: context.requestType },
      context.headers,
    );

  return {
    name: 'prometheus',
    metrics: () => metrics.registry.metrics(),
    httpRoutes: [
      {
        method: 'GET',
        path: options.path ?? '/metrics',
        handle: async () =>
          new Response(await metrics.registry.metrics(), {
            headers: { 'content-type': metrics.registry.contentType },
          }),
      },
    ],
    setup(engine: PluginGateway) {
      gateway = engine;
    },
    onHttpRequest(event: HttpRequestEvent) {
      const labels = withCustom(
        { path: event.route, method: event.method, status: String(event.status) },
        event.headers,
      );
      metrics.httpRequests.inc(labels);
      metrics.httpRequestDuration.observe(labels, event.durationSeconds);
      metrics.httpRequestSize.observe(labels, event.requestBytes);
      metrics.httpResponseSize.observe(labels, event.responseBytes);
    },
    onStreamChunk(context: PluginContext) {
      const now = performance.now();
      const state = context.values.get(streamStateKey) as StreamState | undefined;
      if (state === undefined) {
        // The labels are built once per stream, not per chunk.
        const labels = engineLabels(context);
        metrics.streamFirstTokenLatency.observe(labels, (now - context.startedAt) / 1000);
        context.values.set(streamStateKey, { last: now, labels } satisfies StreamState);
        return;
      }
      metrics.streamInterTokenLatency.observe(state.labels, (now - state.last) / 1000);
      state.last = now;
    },
    postHook(context: PluginContext, outcome: PostHookOutcome) {
      const labels = engineLabels(context);
      metrics.upstreamRequests.inc(labels);
      const retries = context.values.get(pluginValueKeys.retries) as number | undefined;
      if (retries !== undefined) {
        // Set only when the provider was called: a short-circuit neither queued nor retried.
        if (retries > 0) metrics.retries.inc(labels, retries);
        const waitedMs = (context.values.get(pluginValueKeys.queueWaitMs) as number | undefined) ?? 0;
        metrics.queueWait.observe(labels, waitedMs / 1000);
      }
      if (outcome.response) {
        recordResponse(outcome.response, labels, context);
      } else {
        const reason = outcome.error?.extra_fields?.error_code ?? 'unknown';
        metrics.errorRequests.inc({ ...labels, reason });
        metrics.upstreamLatency.observe(labels, (performance.now() - context.startedAt) / 1000);
      }
    },
  };

  function recordResponse(
    response: BifrostResponse,
    labels: Record<string, string | number>,
    context: PluginContext,
  ): void {
    metrics.successRequests.inc(labels);
    const latencyMs = response.extra_fields?.latency ?? performance.now() - context.startedAt;
    metrics.upstreamLatency.observe(labels, latencyMs / 1000);
    const usage = response.usage;
    if (usage === undefined) return;
    if (usage.prompt_tokens > 0) metrics.inputTokens.inc(labels, usage.prompt_tokens);
    if ('completion_tokens' in usage && usage.completion_tokens > 0) {
      metrics.outputTokens.inc(labels, usage.completion_tokens);
    }
  }
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
