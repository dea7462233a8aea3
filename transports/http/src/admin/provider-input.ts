import { GatewayError } from '@bifrost/core';
import { providerConfigSchema } from '@bifrost/schemas';
import { invalidRequest } from '../error-response.js';
import type { ProviderSettings } from './managed-provider.js';
import { secretMetaFields } from './provider-view.js';
import { isMasked, maskUrlPassword } from './redact-secret.js';

const settingsSchema = providerConfigSchema.omit({ keys: true });

/** Upstream fields this gateway has no behaviour for: accepted when off, refused when asked for. */
const unsupportedSwitches = ['send_back_raw_request', 'store_raw_request_response'] as const;

/**
 * Checks a provider body of `POST /api/providers` or `PUT /api/providers/{name}` and returns the settings it makes,
 * merged over `current`: a block the body leaves out stays, `null` clears it, and a masked secret sent back keeps
 * the stored one. Throws a 400 naming the field.
 */
export function parseProviderSettings(
  body: Record<string, unknown>,
  current: ProviderSettings | undefined,
): ProviderSettings {
  if (body.custom_provider_config != null) {
    throw invalidRequest('custom providers are not supported yet', 'custom_provider_config');
  }
  for (const field of unsupportedSwitches) {
    if (body[field] === true) throw invalidRequest('is not supported by this gateway', field);
  }
  const pick = (field: keyof ProviderSettings) =>
    field in body ? withoutUnset(body[field], knownFields[field]) : current?.[field];
  const candidate = {
    network_config: pick('network_config'),
    concurrency_and_buffer_size: pick('concurrency_and_buffer_size'),
    proxy_config: pick('proxy_config'),
    meta_config: pick('meta_config'),
    send_back_raw_response: pick('send_back_raw_response'),
  };
  const concurrency = candidate.concurrency_and_buffer_size as
    | { concurrency?: unknown; buffer_size?: unknown }
    | undefined;
  if (Number(concurrency?.concurrency) > Number(concurrency?.buffer_size)) {
    throw invalidRequest(
      'must be less than or equal to buffer_size',
      'concurrency_and_buffer_size.concurrency',
    );
  }
  const parsed = settingsSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    const param = issue?.code === 'unrecognized_keys' ? `${path ? `${path}.` : ''}${issue.keys[0]}` : path;
    throw new GatewayError(
      'invalid_request',
      `${param}: ${issue?.code === 'unrecognized_keys' ? 'unknown field' : issue?.message}`,
      {
        param,
      },
    );
  }
  return keepMaskedSecrets(parsed.data, current);
}

/** The fields of each block this gateway has, from the config file's schema. */
const knownFields: Readonly<Record<string, ReadonlySet<string>>> = Object.fromEntries(
  Object.entries(settingsSchema.shape).map(([field, schema]) => {
    const inner = schema.unwrap() as { shape?: Record<string, unknown> };
    return [field, new Set(Object.keys(inner.shape ?? {}))];
  }),
);

/**
 * A JSON block as upstream's clients send it, with what is unset dropped: `null` and empty strings, and upstream
 * options this gateway lacks when they are off (`insecure_skip_verify: false`), since off changes nothing. An
 * upstream option that is on stays, so validation refuses it by name.
 */
function withoutUnset(value: unknown, known: ReadonlySet<string> | undefined): unknown {
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).filter(
      ([name, field]) =>
        field !== null &&
        field !== '' &&
        (known === undefined || known.has(name) || (field !== false && field !== 0)),
    ),
  );
}

function keepMaskedSecrets(next: ProviderSettings, current: ProviderSettings | undefined): ProviderSettings {
  const kept: ProviderSettings = { ...next };
  const proxy = next.proxy_config;
  const currentProxy = current?.proxy_config;
  if (proxy) {
    const restored = { ...proxy };
    if (proxy.password !== undefined && isMasked(proxy.password))
      restored.password = currentProxy?.password ?? '';
    // A URL sent back as it was shown (its password masked) keeps the stored one.
    if (currentProxy?.url !== undefined && proxy.url === maskUrlPassword(currentProxy.url)) {
      restored.url = currentProxy.url;
    }
    kept.proxy_config = restored;
  }
  if (next.meta_config) {
    const meta = { ...next.meta_config };
    for (const field of secretMetaFields) {
      const secret = meta[field];
      if (secret !== undefined && isMasked(secret)) meta[field] = current?.meta_config?.[field] ?? '';
    }
    kept.meta_config = meta;
  }
  return kept;
}
