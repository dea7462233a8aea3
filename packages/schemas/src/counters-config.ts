import { z } from 'zod';

/**
 * Where governance keeps its hot counters (requests, tokens, dollars per window): in this process (`memory`, the
 * default) or in Redis, shared by every gateway instance. `fail_mode` says what happens while Redis is out of
 * reach: `open` lets requests through on local counts, `closed` refuses them.
 */
export const countersConfigSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('memory') }),
  z.strictObject({
    type: z.literal('redis'),
    /** `redis://[:password@]host:port[/db]`, or `env.VAR`. */
    url: z.string().min(1),
    fail_mode: z.enum(['open', 'closed']).default('open'),
    /** Prefixed to every key, so several deployments can share one Redis. */
    key_prefix: z.string().optional(),
  }),
]);

/** The counters' back end, `fail_mode` defaulted. */
export type CountersConfig = z.output<typeof countersConfigSchema>;
