import { z } from 'zod';

/** Where model prices come from, as upstream's `framework.pricing`. */
export const pricingFrameworkConfigSchema = z.strictObject({
  /** A price sheet in upstream's datasheet format, fetched at start-up and every `pricing_sync_interval`. */
  pricing_url: z.url({ protocol: /^https?$/ }).optional(),
  /** Seconds between fetches of `pricing_url`; at least an hour. @default 86400 */
  pricing_sync_interval: z.int().min(3600).optional(),
  /** Upstream's model-parameters and MCP-catalog sources; accepted, not used. */
  model_parameters_url: z.url().optional(),
  mcp_library_url: z.url().optional(),
  mcp_library_sync_interval: z.int().min(3600).optional(),
});

/** Upstream's `framework` section. */
export const frameworkConfigSchema = z.strictObject({
  pricing: pricingFrameworkConfigSchema.optional(),
});

/** Pricing sources. */
export type PricingFrameworkConfig = z.output<typeof pricingFrameworkConfigSchema>;
/** The `framework` section. */
export type FrameworkConfig = z.output<typeof frameworkConfigSchema>;
