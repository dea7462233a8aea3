import { z } from 'zod';

/**
 * Admin authentication for the management API and UI, as upstream's `auth_config` (top level, or inside
 * `governance`, its newer place). With `is_enabled`, `/api/*` needs the admin's credentials.
 */
export const authConfigSchema = z
  .strictObject({
    is_enabled: z.boolean().default(false),
    admin_username: z.string().min(1).optional(),
    /** The password, or `env.VAR`; stored hashed. */
    admin_password: z.string().min(1).optional(),
    /** Lets inference through without a virtual key even when `client.enforce_auth_on_inference` is on. */
    disable_auth_on_inference: z.boolean().optional(),
  })
  .superRefine((auth, context) => {
    if (!auth.is_enabled) return;
    for (const field of ['admin_username', 'admin_password'] as const) {
      if (auth[field] === undefined) {
        context.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} is required when is_enabled is true`,
        });
      }
    }
  });

/** Admin authentication settings, `is_enabled` defaulted. */
export type AuthConfig = z.output<typeof authConfigSchema>;

/** The admin authentication a config asks for, from the top level or from `governance` (upstream's newer place). */
export function authConfigOf(config: {
  auth_config?: AuthConfig | undefined;
  governance?: { auth_config?: AuthConfig | undefined } | undefined;
}): AuthConfig | undefined {
  return config.auth_config ?? config.governance?.auth_config;
}
