import type { Key, Logger, PluginContext } from '@bifrost/schemas';
import type { KeyPicker } from '../keys/key-picker.js';
import type { PluginPipeline } from '../pipeline/plugin-pipeline.js';
import type { ProviderRegistry } from './provider-registry.js';

/** What every stage of a request reads: built once per engine, shared by all its requests. */
export interface EngineParts {
  readonly registry: ProviderRegistry;
  readonly keys: KeyPicker;
  readonly pipeline: PluginPipeline;
  readonly logger: Logger;
  readonly random: () => number;
  /** Monotonic clock in milliseconds. */
  readonly now: () => number;
  /** A caller's own key by the plugin context of its request, for plugins' nested calls on its behalf. */
  readonly callerKeys: WeakMap<PluginContext, Key>;
  /** The virtual key a request came with, by its plugin context: a secret, so kept off the context itself. */
  readonly virtualKeys: WeakMap<PluginContext, string>;
  /** Set once shutdown begins; admission refuses requests from then on. */
  readonly lifecycle: { closed: boolean };
}
