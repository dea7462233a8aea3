import type { BatchedCounter } from './batched-counter.js';
import { type GatewayMetrics, metricNames } from './metrics.js';
import type { Count, Observer, SeriesOverflow } from './series-overflow.js';

/**
 * The HTTP metrics of one label set, resolved once so that a request builds no label object; the histograms'
 * children still hash their labels in prom-client on each observation.
 */
export interface HttpSeries {
  requests: Count;
  duration: Observer;
  requestSize: Observer;
  responseSize: Observer;
}

/** The engine metrics of one label set; `labels` is kept for the error counter, which adds `reason`. */
export interface EngineSeries {
  labels: Readonly<Record<string, string>>;
  upstreamRequests: Count;
  upstreamLatency: Observer;
  successRequests: Count;
  inputTokens: Count;
  outputTokens: Count;
  streamFirstTokenLatency: Observer;
  streamInterTokenLatency: Observer;
  retries: Count;
  queueWait: Observer;
  /** The error counter's children, by reason. */
  errors: Map<string, Count>;
}

/** The counters a request increments, batched until a scrape. */
export interface BatchedCounters {
  httpRequests: BatchedCounter;
  upstreamRequests: BatchedCounter;
  successRequests: BatchedCounter;
  errorRequests: BatchedCounter;
  inputTokens: BatchedCounter;
  outputTokens: BatchedCounter;
  retries: BatchedCounter;
  cost: BatchedCounter;
  seriesOverflow: BatchedCounter;
}

/** Wraps a series' children when it is an overflow series, so that each observation is also tallied. */
function childrenOf(overflow: SeriesOverflow | undefined) {
  return {
    count: (metric: string, count: Count): Count => (overflow ? overflow.count(metric, count) : count),
    observer: (metric: string, observer: Observer): Observer =>
      overflow ? overflow.observer(metric, observer) : observer,
  };
}

/**
 * Resolves the HTTP metrics' children of `labels`; with `overflow`, this is the overflow series and every
 * observation is also tallied. prom-client's children record nothing until first used, so resolving all of them up
 * front adds no series to the output.
 */
export function createHttpSeries(
  metrics: GatewayMetrics,
  counters: BatchedCounters,
  labels: Record<string, string>,
  overflow?: SeriesOverflow,
): HttpSeries {
  const children = childrenOf(overflow);
  return {
    requests: children.count(metricNames.httpRequests, counters.httpRequests.child(labels)),
    duration: children.observer(metricNames.httpRequestDuration, metrics.httpRequestDuration.labels(labels)),
    requestSize: children.observer(metricNames.httpRequestSize, metrics.httpRequestSize.labels(labels)),
    responseSize: children.observer(metricNames.httpResponseSize, metrics.httpResponseSize.labels(labels)),
  };
}

/** Resolves the engine metrics' children of `labels`, as {@link createHttpSeries} does the HTTP ones. */
export function createEngineSeries(
  metrics: GatewayMetrics,
  counters: BatchedCounters,
  labels: Record<string, string>,
  overflow?: SeriesOverflow,
): EngineSeries {
  const children = childrenOf(overflow);
  return {
    labels,
    upstreamRequests: children.count(metricNames.upstreamRequests, counters.upstreamRequests.child(labels)),
    upstreamLatency: children.observer(metricNames.upstreamLatency, metrics.upstreamLatency.labels(labels)),
    successRequests: children.count(metricNames.successRequests, counters.successRequests.child(labels)),
    inputTokens: children.count(metricNames.inputTokens, counters.inputTokens.child(labels)),
    outputTokens: children.count(metricNames.outputTokens, counters.outputTokens.child(labels)),
    streamFirstTokenLatency: children.observer(
      metricNames.streamFirstTokenLatency,
      metrics.streamFirstTokenLatency.labels(labels),
    ),
    streamInterTokenLatency: children.observer(
      metricNames.streamInterTokenLatency,
      metrics.streamInterTokenLatency.labels(labels),
    ),
    retries: children.count(metricNames.retries, counters.retries.child(labels)),
    queueWait: children.observer(metricNames.queueWait, metrics.queueWait.labels(labels)),
    errors: new Map(),
  };
}
