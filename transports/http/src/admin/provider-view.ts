import { createHash } from 'node:crypto';
import type { MetaConfig, ProxyConfig } from '@bifrost/schemas';
import type { ManagedKey, ManagedProvider } from './managed-provider.js';
import { maskedEnvVar, maskSecret, maskUrlPassword } from './redact-secret.js';

/** `meta_config` fields that hold secrets. */
export const secretMetaFields = [
  'client_secret',
  'secret_access_key',
  'session_token',
  'auth_credentials',
] as const;

/** A provider in upstream's `ProviderResponse` shape, every secret masked. */
export function providerView(provider: ManagedProvider) {
  const { network_config, concurrency_and_buffer_size, proxy_config, meta_config, send_back_raw_response } =
    provider.settings;
  return {
    name: provider.name,
    network_config,
    concurrency_and_buffer_size,
    proxy_config: proxy_config === undefined ? null : maskedProxy(proxy_config),
    ...(meta_config === undefined ? {} : { meta_config: maskedMeta(meta_config) }),
    send_back_raw_request: false,
    send_back_raw_response,
    store_raw_request_response: false,
    provider_status: 'active',
    config_hash: createHash('sha256').update(JSON.stringify(provider.settings)).digest('hex'),
  };
}

/** A key as upstream's per-key routes return it, the value masked in its `EnvVar` shape. */
export function keyView(key: ManagedKey) {
  return {
    id: key.id,
    name: key.name,
    value: maskedEnvVar(key.value, key.reference),
    models: key.models,
    blacklisted_models: key.blacklisted_models,
    weight: key.weight,
    enabled: key.enabled,
    use_for_batch_api: false,
  };
}

/** A key for `GET /api/keys`: who and what, no value at all. */
export function keySummary(provider: ManagedProvider, key: ManagedKey) {
  return {
    key_id: key.id,
    name: key.name,
    provider: provider.name,
    models: key.models,
    weight: key.weight,
    enabled: key.enabled,
  };
}

function maskedProxy(proxy: ProxyConfig): ProxyConfig {
  const masked = { ...proxy };
  if (proxy.url !== undefined) masked.url = maskUrlPassword(proxy.url);
  if (proxy.password !== undefined) masked.password = maskSecret(proxy.password);
  return masked;
}

function maskedMeta(meta: MetaConfig): MetaConfig {
  const masked: MetaConfig = { ...meta };
  for (const field of secretMetaFields) {
    const secret = meta[field];
    if (secret !== undefined) masked[field] = maskSecret(secret);
  }
  return masked;
}
