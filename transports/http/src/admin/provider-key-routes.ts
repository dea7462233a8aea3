import { GatewayError } from '@bifrost/core';
import type { Hono } from 'hono';
import type { HttpEnv } from '../http-env.js';
import { parseKeyInput } from './key-input.js';
import type { ManagedKey, ManagedProvider } from './managed-provider.js';
import { conflict, existingProvider, type ProviderRouteContext, providerParam } from './provider-routes.js';
import { keySummary, keyView } from './provider-view.js';
import { adminJson, readAdminJson } from './read-admin-json.js';

/**
 * `GET /api/keys` (every key, no values) and upstream's per-key CRUD under `/api/providers/{p}/keys`. Values are
 * never returned, only masked.
 */
export function registerProviderKeyRoutes(app: Hono<HttpEnv>, context: ProviderRouteContext): void {
  const { catalog, env } = context;
  const providerOf = (name: string) => existingProvider(catalog, providerParam(name));

  app.get('/api/keys', () =>
    adminJson(catalog.list().flatMap((provider) => provider.keys.map((key) => keySummary(provider, key)))),
  );

  app.get('/api/providers/:name/keys', (c) => {
    const keys = providerOf(c.req.param('name')).keys.map(keyView);
    return adminJson({ keys, total: keys.length });
  });

  app.post('/api/providers/:name/keys', async (c) => {
    const provider = providerOf(c.req.param('name'));
    const key = parseKeyInput(await readAdminJson(c), env);
    if (provider.keys.some((other) => other.id === key.id)) throw conflict(`Key ${key.id} already exists`);
    refuseTakenName(provider, key);
    await catalog.write(provider.name, { ...provider, keys: [...provider.keys, key] });
    return adminJson(keyView(key));
  });

  app.get('/api/providers/:name/keys/:id', (c) => {
    return adminJson(keyView(existingKey(providerOf(c.req.param('name')), c.req.param('id'))));
  });

  app.put('/api/providers/:name/keys/:id', async (c) => {
    const provider = providerOf(c.req.param('name'));
    const existing = existingKey(provider, c.req.param('id'));
    const key = parseKeyInput(await readAdminJson(c), env, existing);
    refuseTakenName(provider, key);
    const keys = provider.keys.map((other) => (other.id === key.id ? key : other));
    await catalog.write(provider.name, { ...provider, keys });
    return adminJson(keyView(key));
  });

  app.delete('/api/providers/:name/keys/:id', async (c) => {
    const provider = providerOf(c.req.param('name'));
    const key = existingKey(provider, c.req.param('id'));
    const keys = provider.keys.filter((other) => other.id !== key.id);
    await catalog.write(provider.name, { ...provider, keys });
    return adminJson(keyView(key));
  });
}

function existingKey(provider: ManagedProvider, id: string): ManagedKey {
  const key = provider.keys.find((candidate) => candidate.id === id);
  if (key === undefined) throw new GatewayError('not_found', 'Key not found');
  return key;
}

/** Key names are unique within a provider, as the store requires. */
function refuseTakenName(provider: ManagedProvider, key: ManagedKey): void {
  if (provider.keys.some((other) => other.name === key.name && other.id !== key.id)) {
    throw conflict(`a key named ${key.name} already exists on ${provider.name}`);
  }
}
