import type { Key, PluginContext } from '@bifrost/schemas';

/** Per-call options of the engine's methods. */
export interface RequestOptions {
  /** Abort to cancel: a queued request leaves the queue, a running one stops its upstream call. */
  signal?: AbortSignal;
  /** Incoming headers (lower-cased) for plugins; transports pass theirs, minus secrets. */
  headers?: Record<string, string>;
  /** Correlates logs and plugin records; generated when absent. */
  requestId?: string;
  /** Use this key for the call instead of the account's keys (a caller's own key). */
  key?: Key;
  /**
   * The virtual key the caller presented (`x-bf-vk`, or an `sk-bf-…` credential), for governance; plugins read it
   * through `PluginGateway.virtualKeyOf`, never from the context, since it is a secret.
   */
  virtualKey?: string;
  /** The plugin context of the request this call is made for (a plugin's nested call): its caller's key carries over. */
  parent?: PluginContext;
}
