import { z } from 'zod';
import { authConfigSchema } from './auth-config.js';
import { countersConfigSchema } from './counters-config.js';
import { frameworkConfigSchema } from './framework-config.js';
import { governanceConfigSchema } from './governance-config.js';
import { providerNames } from './provider.js';
import { configStoreSchema, logsStoreSchema } from './store-config.js';

/**
 * The config file, exactly as upstream Bifrost reads it: `providers.<name>` with keys, network, concurrency,
 * proxy and meta settings. Durations are milliseconds, timeouts seconds. Unknown keys are errors, so a typo
 * never silently falls back to a default.
 */

/** An API key and the models it may serve. */
export const keySchema = z.strictObject({
  /** A stable name for logs and metrics; never the secret. */
  id: z.string().min(1).optional(),
  /** A human name, as upstream Bifrost's keys have; a virtual key may pin keys by id or by name. */
  name: z.string().min(1).optional(),
  /** The secret, or `env.VAR` to read it from the environment. */
  value: z.string(),
  /** Models this key serves; empty or `"*"` means all. */
  models: z.array(z.string()).default([]),
  /** Relative share of traffic among eligible keys; 0 never chosen. */
  weight: z.number().min(0).default(1),
});

/** Where and how the provider is called. */
export const networkConfigSchema = z.strictObject({
  /** The provider's origin (`https://api.openai.com`); a trailing version segment (`/v1`) is accepted too. */
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  /** Headers added to every upstream request. */
  extra_headers: z.record(z.string(), z.string()).optional(),
  /**
   * Seconds before an upstream request is abandoned: the bound on each phase below that is not set on its own
   * (time to the response headers and first token, and each gap in the body).
   */
  default_request_timeout_in_seconds: z.number().positive().default(30),
  /** Seconds to open the connection (TCP and TLS). @default 10 */
  connect_timeout_in_seconds: z.number().positive().optional(),
  /**
   * Seconds from sending the request until the response headers arrive and, for a stream, until its first
   * chunk; until then a timeout is retried and may fall back. @default default_request_timeout_in_seconds
   */
  first_token_timeout_in_seconds: z.number().positive().optional(),
  /** Seconds of silence allowed between two pieces of a response body or stream. @default default_request_timeout_in_seconds */
  stream_idle_timeout_in_seconds: z.number().positive().optional(),
  /** Seconds one attempt may take in all, streams included; unset means no overall bound. */
  total_timeout_in_seconds: z.number().positive().optional(),
  /**
   * Seconds a key is set aside after the provider rejects it (401/403), so requests go to the provider's other
   * keys; a 429 sets it aside for its `Retry-After` instead.
   */
  key_cooldown_in_seconds: z.number().min(0).default(60),
  /** Retries after the first attempt, on network errors, timeouts, 429 and 5xx. */
  max_retries: z.int().min(0).max(20).default(0),
  /** Milliseconds before the first retry; doubles each retry. */
  retry_backoff_initial: z.int().min(0).default(500),
  /** Upper bound on the backoff, in milliseconds. */
  retry_backoff_max: z.int().min(0).default(5000),
  /**
   * Upstream's switch for providers on private networks (10.x, 172.16.x, 192.168.x). Accepted for its configs;
   * this gateway does not filter provider addresses, so every address is reachable either way.
   */
  allow_private_network: z.boolean().optional(),
});

/** How many requests run at once against the provider, and how many may wait. */
export const concurrencyAndBufferSizeSchema = z.strictObject({
  concurrency: z.int().min(1).default(1000),
  buffer_size: z.int().min(1).default(5000),
  /**
   * Seconds a request may wait for a free slot before it fails fast with `queue_full` (429 with `Retry-After`)
   * or moves on to its fallbacks; 0 waits without limit.
   */
  max_queue_wait_in_seconds: z.number().min(0).max(3600).default(5),
});

/** An outbound proxy for this provider's traffic. */
export const proxyConfigSchema = z.strictObject({
  type: z.enum(['none', 'http', 'socks5', 'environment']),
  url: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
});

/**
 * Provider-specific settings, as upstream Bifrost's `meta_config`: Azure's endpoint, deployments and API version
 * (and Entra ID client credentials), Bedrock's secret key, session token, region and inference profiles (the key's
 * `value` is the access key id), Vertex's project, region and service-account credentials.
 */
export const metaConfigSchema = z.strictObject({
  /** Azure: the resource endpoint, `https://<resource>.openai.azure.com`. */
  endpoint: z.string().optional(),
  /** Azure: model name → deployment name. Bedrock: model name → model id or ARN. */
  deployments: z.record(z.string(), z.string()).optional(),
  /** Azure: the `api-version` query parameter. */
  api_version: z.string().optional(),
  /** Azure Entra ID: the directory (tenant) of the app registration. */
  tenant_id: z.string().optional(),
  /** Azure Entra ID: the application (client) id. */
  client_id: z.string().optional(),
  /** Azure Entra ID: the client secret. */
  client_secret: z.string().optional(),
  /** Where OAuth access tokens are fetched (Azure Entra ID, Vertex); defaults to the vendor's own endpoint. */
  token_url: z.url({ protocol: /^https?$/ }).optional(),
  /** Bedrock: the AWS secret access key; the key's `value` is the access key id. */
  secret_access_key: z.string().optional(),
  /** Bedrock: a temporary session token. */
  session_token: z.string().optional(),
  /** Bedrock and Vertex: the region, `us-east-1` or `us-central1`. */
  region: z.string().optional(),
  /** Bedrock: an inference-profile ARN prefix applied to model ids. */
  arn: z.string().optional(),
  /** Bedrock: model name → inference-profile id or ARN. */
  inference_profiles: z.record(z.string(), z.string()).optional(),
  /** Vertex: the Google Cloud project. */
  project_id: z.string().optional(),
  /** Vertex: the service-account JSON (or `env.VAR` holding it); empty uses the key's value as a bearer token. */
  auth_credentials: z.string().optional(),
});

/** Everything the gateway needs to call one provider. */
export const providerConfigSchema = z.strictObject({
  keys: z.array(keySchema).default([]),
  network_config: networkConfigSchema.default(() => networkConfigSchema.parse({})),
  concurrency_and_buffer_size: concurrencyAndBufferSizeSchema.default(() =>
    concurrencyAndBufferSizeSchema.parse({}),
  ),
  proxy_config: proxyConfigSchema.optional(),
  meta_config: metaConfigSchema.optional(),
  /** Include the provider's own response body as `extra_fields.raw_response`. */
  send_back_raw_response: z.boolean().default(false),
});

/** A plugin to load at start-up. */
export const pluginEntrySchema = z.strictObject({
  /** A built-in name (`prometheus`), an npm package name, or a local path. */
  name: z.string().min(1),
  enabled: z.boolean().default(true),
  config: z.unknown().optional(),
});

/** Settings of the gateway itself rather than of any provider. */
export const clientConfigSchema = z.strictObject({
  /** Fail at once with 429 when a provider's queue is full, instead of waiting for space. */
  drop_excess_requests: z.boolean().default(false),
  /** Queue entries allocated up front and recycled. */
  initial_pool_size: z.int().min(0).default(300),
  /** Extra Prometheus labels, valued from `x-bf-prom-<label>` request headers. */
  prometheus_labels: z.array(z.string()).default([]),
  /** Let callers send their own provider key (`Authorization`, `x-api-key`) for their request. */
  allow_direct_keys: z.boolean().default(false),
  /**
   * Request bodies larger than this are refused with 413 before they are buffered. Sized for chat; routes that
   * take uploads (audio, images) set their own.
   */
  max_request_body_size_mb: z.number().positive().default(10),
  /**
   * Request-body megabytes all requests may hold at once; past it requests are refused with 429 and
   * `Retry-After` before their bodies are read.
   */
  max_in_flight_request_body_mb: z.number().positive().default(256),
  /** Seconds a client may take to send its whole request, headers and body; a stalled upload is cut with 408. */
  client_read_timeout_in_seconds: z.number().positive().default(60),
  /** On SIGTERM/SIGINT, how long in-flight requests and streams may run on before their connections are closed. */
  drain_timeout_in_seconds: z.number().min(0).default(30),
  /**
   * Refuse inference requests that carry no virtual key (401 `virtual_key_required`). Upstream's older name,
   * `enforce_governance_header`, is not accepted: rename it.
   */
  enforce_auth_on_inference: z.boolean().optional(),
});

/** The whole config file. */
export const configFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    client: clientConfigSchema.optional(),
    providers: z.partialRecord(z.enum(providerNames), providerConfigSchema),
    plugins: z.array(pluginEntrySchema).optional(),
    /** MCP client settings, as upstream; their presence loads the MCP plugin, which validates them. */
    mcp: z.record(z.string(), z.unknown()).optional(),
    /** Virtual keys, teams, customers, budgets and rate limits to load at start-up. */
    governance: governanceConfigSchema.optional(),
    /** Admin authentication for the management API; also accepted as `governance.auth_config`. */
    auth_config: authConfigSchema.optional(),
    /** Where state is kept. Without it the CLI keeps it in the app directory (embedded Postgres). */
    config_store: configStoreSchema.optional(),
    /** Where request logs are kept; the same forms as `config_store`. */
    logs_store: logsStoreSchema.optional(),
    /** Where governance counters live: this process (default) or Redis. */
    counters: countersConfigSchema.optional(),
    /** Upstream's framework settings: where prices come from. */
    framework: frameworkConfigSchema.optional(),
  })
  .superRefine((config, context) => {
    if (config.auth_config !== undefined && config.governance?.auth_config !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['governance', 'auth_config'],
        message: 'auth_config is set at the top level too; keep one',
      });
    }
  });

/** An API key with its defaults applied. */
export type Key = z.output<typeof keySchema>;
/** Network settings with defaults applied. */
export type NetworkConfig = z.output<typeof networkConfigSchema>;
/** Concurrency settings with defaults applied. */
export type ConcurrencyAndBufferSize = z.output<typeof concurrencyAndBufferSizeSchema>;
/** A proxy setting. */
export type ProxyConfig = z.output<typeof proxyConfigSchema>;
/** Provider-specific settings. */
export type MetaConfig = z.output<typeof metaConfigSchema>;
/** One provider's settings with defaults applied. */
export type ProviderConfig = z.output<typeof providerConfigSchema>;
/** A plugin entry. */
export type PluginEntry = z.output<typeof pluginEntrySchema>;
/** Gateway settings with defaults applied. */
export type ClientConfig = z.output<typeof clientConfigSchema>;
/** The config file after validation and defaults. */
export type ConfigFile = z.output<typeof configFileSchema>;
/** The config file as written, before defaults. */
export type ConfigFileInput = z.input<typeof configFileSchema>;
