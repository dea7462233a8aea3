import { GatewayError } from '@bifrost/core';
import { isProviderName, type ProviderName } from '@bifrost/schemas';
import type { Hono } from 'hono';
import { invalidRequest } from '../error-response.js';
import type { HttpEnv } from '../http-env.js';
import { parseKeyInput } from './key-input.js';
import type { ManagedProvider } from './managed-provider.js';
import type { ProviderCatalog } from './provider-catalog.js';
import { parseProviderSettings } from './provider-input.js';
import { providerView } from './provider-view.js';
import { adminJson, readAdminJson } from './read-admin-json.js';

/** What the provider and key routes need. */
export interface ProviderRouteContext {
  catalog: ProviderCatalog;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * `/api/providers` and `/api/providers/{name}` in upstream's shapes: list, create, read, upsert, delete. Every
 * answer masks secrets; changes go through the catalog, so the engine serves them at once.
 */
export function registerProviderRoutes(app: Hono<HttpEnv>, context: ProviderRouteContext): void {
  const { catalog, env } = context;

  app.get('/api/providers', () => {
    const providers = catalog.list().map(providerView);
    return adminJson({ providers, total: providers.length });
  });

  app.post('/api/providers', async (c) => {
    const body = await readAdminJson(c);
    if (typeof body.provider !== 'string' || body.provider === '')
      throw invalidRequest('Missing provider', 'provider');
    // Settings first: a custom provider is refused for what it is, not for its unknown name.
    const settings = parseProviderSettings(body, undefined);
    const name = knownProviderName(body.provider, 'provider');
    if (catalog.get(name)) throw conflict(`Provider ${name} already exists`);
    const keysBody = body.keys ?? [];
    if (!Array.isArray(keysBody)) throw invalidRequest('must be a list of keys', 'keys');
    const keys = keysBody.map((key, index) => {
      if (typeof key !== 'object' || key === null)
        throw invalidRequest('must be an object', `keys[${index}]`);
      return parseKeyInput(key as Record<string, unknown>, env);
    });
    await catalog.write(name, { name, settings, keys });
    return adminJson(providerView(existingProvider(catalog, name)));
  });

  app.get('/api/providers/:name', (c) => {
    return adminJson(providerView(existingProvider(catalog, providerParam(c.req.param('name')))));
  });

  app.put('/api/providers/:name', async (c) => {
    const name = knownProviderName(c.req.param('name'), 'name');
    const body = await readAdminJson(c);
    if (Array.isArray(body.keys) && body.keys.length > 0) {
      throw invalidRequest(
        'keys are not accepted on this endpoint; use POST/PUT /api/providers/{provider}/keys[/{key_id}]',
        'keys',
      );
    }
    const current = catalog.get(name);
    const settings = parseProviderSettings(body, current?.settings);
    await catalog.write(name, { name, settings, keys: current?.keys ?? [] });
    return adminJson(providerView(existingProvider(catalog, name)));
  });

  app.delete('/api/providers/:name', async (c) => {
    const provider = existingProvider(catalog, providerParam(c.req.param('name')));
    await catalog.write(provider.name, undefined);
    return adminJson(providerView(provider));
  });
}

/** The provider by name, or a 404. */
export function existingProvider(catalog: ProviderCatalog, name: ProviderName | undefined): ManagedProvider {
  const provider = name === undefined ? undefined : catalog.get(name);
  if (provider === undefined) throw new GatewayError('not_found', 'Provider not found');
  return provider;
}

/** A path's provider name, or undefined when no provider has it (the caller answers 404). */
export function providerParam(name: string): ProviderName | undefined {
  return isProviderName(name) ? name : undefined;
}

/** A 409. */
export function conflict(message: string): GatewayError {
  return new GatewayError('invalid_request', message, { statusCode: 409 });
}

function knownProviderName(name: string, field: string): ProviderName {
  if (!isProviderName(name)) throw invalidRequest(`unknown provider "${name}"`, field);
  return name;
}
