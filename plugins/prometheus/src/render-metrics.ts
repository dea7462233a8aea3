import type { Metric, Registry } from 'prom-client';

/** Resolves on the next turn of the event loop, after pending I/O callbacks (a `/health` request) have run. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

type LabelValues = Readonly<Record<string, string | number>>;

/** One sample as prom-client's `getForPromString()` (histograms) or `get()` (the rest) returns it. */
interface Sample {
  value: number;
  labels?: LabelValues;
  /** A histogram series' own labels, shared by its bucket, sum and count samples. */
  sharedLabels?: LabelValues;
  metricName?: string;
}

interface MetricSnapshot {
  name: string;
  help: string;
  type: string;
  values: readonly Sample[];
}

/** prom-client's histograms also offer this, which leaves labels unmerged and is the form its registry renders. */
interface PromStringSource {
  getForPromString(): Promise<MetricSnapshot>;
}

/**
 * Renders `registry` in Prometheus' text format, with the same bytes as `registry.metrics()` for a registry without
 * default labels or exemplars (this plugin's), but in chunks of at most `samplesPerChunk` samples with a turn of the
 * event loop between chunks. prom-client renders every metric in one synchronous run into one string, which at tens
 * of thousands of series stalled every other request for seconds; here the longest pause is one metric's snapshot.
 */
export async function* renderMetrics(registry: Registry, samplesPerChunk = 2000): AsyncGenerator<string> {
  let separator = '';
  for (const { name } of registry.getMetricsAsArray()) {
    const metric = registry.getSingleMetric(name);
    if (metric === undefined) continue;
    if (separator !== '') await nextTurn();
    const snapshot = await snapshotOf(metric);
    const metricName = escapeText(snapshot.name);
    let chunk = `${separator}# HELP ${metricName} ${escapeText(snapshot.help)}\n# TYPE ${metricName} ${snapshot.type}`;
    // Histogram samples share one label object per series: format it once.
    const shared = new Map<LabelValues, string>();
    let samples = 0;
    for (const sample of snapshot.values) {
      chunk += `\n${formatSample(metricName, sample, shared)}`;
      if (++samples === samplesPerChunk) {
        yield chunk;
        chunk = '';
        samples = 0;
        await nextTurn();
      }
    }
    if (chunk !== '') yield chunk;
    separator = '\n\n';
  }
  yield '\n';
}

function snapshotOf(metric: Metric): Promise<MetricSnapshot> {
  // Casts: prom-client's typings leave out getForPromString and declare `type` a numeric enum, while at run time
  // it is the text Prometheus expects ("counter").
  return 'getForPromString' in metric
    ? (metric as unknown as PromStringSource).getForPromString()
    : (metric.get() as unknown as Promise<MetricSnapshot>);
}

function formatSample(metricName: string, sample: Sample, shared: Map<LabelValues, string>): string {
  const { labels = {}, sharedLabels } = sample;
  let text = '';
  for (const name in labels) {
    if (sharedLabels !== undefined && Object.hasOwn(sharedLabels, name)) continue;
    text += `${text === '' ? '' : ','}${name}="${escapeLabelValue(labels[name]!)}"`;
  }
  if (sharedLabels !== undefined) {
    let flattened = shared.get(sharedLabels);
    if (flattened === undefined) {
      flattened = '';
      for (const name in sharedLabels) {
        flattened += `${flattened === '' ? '' : ','}${name}="${escapeLabelValue(sharedLabels[name]!)}"`;
      }
      shared.set(sharedLabels, flattened);
    }
    if (flattened !== '') text += `${text === '' ? '' : ','}${flattened}`;
  }
  const labelText = text === '' ? '' : `{${text}}`;
  return `${sample.metricName ?? metricName}${labelText} ${formatValue(sample.value)}`;
}

/** As prom-client writes values, `Nan` included. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}

function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(value: string | number): string | number {
  return typeof value === 'string' ? escapeText(value).replace(/"/g, '\\"') : value;
}

/**
 * A byte stream of `chunks` that renders the next chunk only when the client has read the previous one, so a
 * slow scraper holds at most one chunk of text in memory.
 */
export function streamText(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await iterator.return?.(undefined);
    },
  });
}
