import { z } from 'zod';

/**
 * Where the gateway keeps its state (`config_store`) and, later, its request logs (`logs_store`). Upstream's form
 * names a back end and its settings (`{"type": "postgres", "config": {"host", "port", …}}`); the shorter
 * `{"type": "postgres", "connection_string": "env.DATABASE_URL"}` says the same in one field. `sqlite` and
 * `embedded` both mean the embedded Postgres (PGlite) in the app directory: upstream configs that name sqlite keep
 * working, with the data in a new place (`config.path` is accepted and not used).
 */

/** Upstream's Postgres connection settings. */
export const postgresConnectionSchema = z.strictObject({
  host: z.string().min(1),
  port: z.union([z.string().regex(/^\d+$/, 'expected a port number'), z.int().min(1).max(65_535)]),
  user: z.string().min(1),
  /** The password, or `env.VAR`. */
  password: z.string(),
  db_name: z.string().min(1),
  /** libpq's `sslmode`: `disable`, `require`, `verify-full`, … */
  ssl_mode: z.string().min(1),
  max_idle_conns: z.int().min(0).optional(),
  /** The connection pool's size. @default 10 */
  max_open_conns: z.int().min(1).optional(),
  /** Upstream's Go duration; accepted, not used. */
  conn_max_lifetime: z.string().optional(),
});

const enabled = z.boolean().default(true);

const embeddedStoreSchema = z.strictObject({
  enabled,
  type: z.enum(['embedded', 'sqlite']),
  /** Upstream's sqlite file; the embedded store lives in the app directory instead. */
  config: z.strictObject({ path: z.string().optional() }).optional(),
});

const postgresStoreSchema = z
  .strictObject({
    enabled,
    type: z.literal('postgres'),
    /** `postgres://user:password@host:port/database`, or `env.VAR`. */
    connection_string: z.string().min(1).optional(),
    config: postgresConnectionSchema.optional(),
  })
  .superRefine((store, context) => {
    if ((store.connection_string === undefined) === (store.config === undefined)) {
      context.addIssue({
        code: 'custom',
        path: store.config === undefined ? ['connection_string'] : ['config'],
        message: 'a postgres store needs either connection_string or config, not both',
      });
    }
  });

/** `config_store`: embedded Postgres in the app directory (`embedded`, `sqlite`) or a Postgres server. */
export const configStoreSchema = z.discriminatedUnion('type', [embeddedStoreSchema, postgresStoreSchema]);

/** `logs_store`: the same forms as `config_store`; accepted now, used once request logs are written there. */
export const logsStoreSchema = configStoreSchema;

/** Upstream's Postgres connection settings, as written. */
export type PostgresConnectionConfig = z.output<typeof postgresConnectionSchema>;
/** Where state is kept, `enabled` defaulted. */
export type ConfigStoreConfig = z.output<typeof configStoreSchema>;
/** Where request logs are kept. */
export type LogsStoreConfig = z.output<typeof logsStoreSchema>;
