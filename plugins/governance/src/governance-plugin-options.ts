import {
  countersConfigSchema,
  type GovernanceConfig,
  type GovernancePluginConfig,
  governanceConfigSchema,
  pricingFrameworkConfigSchema,
} from '@bifrost/schemas';
import type { Store } from '@bifrost/store';
import { z } from 'zod';

/** The governance plugin's config, validated: the gateway's {@link GovernancePluginConfig} plus tuning. */
export interface GovernancePluginOptions extends Omit<GovernancePluginConfig, 'store' | 'governance'> {
  governance: GovernanceConfig | undefined;
  /** The opened store (the transport owns and closes it); absent = state from the config alone. */
  store: Store | undefined;
  /** Seconds between reloads of the state from the store, so keys made on other instances apply. @default 5 */
  sync_interval: number;
  /** Seconds between flushes of counted usage to the store. @default 3 */
  usage_flush_interval: number;
}

function isStore(value: unknown): value is Store {
  const candidate = value as Partial<Store> | null;
  return (
    typeof candidate === 'object' && candidate !== null && 'db' in candidate && 'virtualKeys' in candidate
  );
}

const optionsSchema = z.strictObject({
  governance: governanceConfigSchema.optional(),
  enforce_auth_on_inference: z.boolean().default(false),
  counters: countersConfigSchema.default({ type: 'memory' }),
  pricing: pricingFrameworkConfigSchema.optional(),
  store: z.custom<Store>(isStore, { message: 'expected an opened @bifrost/store' }).optional(),
  sync_interval: z.number().min(0).default(5),
  usage_flush_interval: z.number().positive().default(3),
});

/** The plugin's config is not usable; the message names each field at fault. */
export class InvalidGovernanceConfigError extends Error {
  override readonly name = 'InvalidGovernanceConfigError';
}

/**
 * Validates the plugin's config as the gateway hands it over (or as a library user writes it).
 *
 * @throws InvalidGovernanceConfigError naming the fields at fault, e.g. `counters.url: …`.
 */
export function parseGovernancePluginOptions(config: unknown): GovernancePluginOptions {
  const parsed = optionsSchema.safeParse(config ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    });
    throw new InvalidGovernanceConfigError(`invalid governance plugin config: ${problems.join('; ')}`);
  }
  const { governance, store, ...rest } = parsed.data;
  return { ...rest, governance, store };
}
