export { BoundedLabelValues, overflowLabelValue } from './bounded-label-values.js';
export type {
  PrometheusPlugin,
  PrometheusPluginConfig,
  PrometheusPluginContext,
} from './prometheus-plugin.js';
export { prometheusPlugin } from './prometheus-plugin.js';

import { prometheusPlugin } from './prometheus-plugin.js';

/** The factory the gateway's config loading imports: `(config, context) => Plugin`. */
export default prometheusPlugin;
