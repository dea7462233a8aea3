import type { CountersConfig } from './counters-config.js';
import type { PricingFrameworkConfig } from './framework-config.js';
import type { GovernanceConfig } from './governance-config.js';

/**
 * What the gateway hands the governance plugin in its plugin entry, gathered from the config file's sections. It
 * is built in process, never written by hand, so it is a type and not a schema.
 */
export interface GovernancePluginConfig {
  /** The config file's `governance` section, validated. */
  governance?: GovernanceConfig;
  /**
   * Refuse inference without a virtual key: `client.enforce_auth_on_inference`, turned off by
   * `auth_config.disable_auth_on_inference`.
   */
  enforce_auth_on_inference?: boolean;
  /** Where counters are kept. @default { type: 'memory' } */
  counters?: CountersConfig;
  /** The `framework.pricing` section. */
  pricing?: PricingFrameworkConfig;
  /** The opened `@bifrost/store` instance; typed loosely here because schemas depends on nothing. */
  store?: unknown;
}
