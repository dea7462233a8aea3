import { createEngineFromConfig, createJsonLogger, parseConfig } from '@bifrost/core';
import type { ConfigFile } from '@bifrost/schemas';
import type { Hono } from 'hono';
import { afterEach } from 'vitest';
import type { AdminAuthConfig, AdminOptions } from '../admin/admin-options.js';
import { createHttpApp } from '../create-http-app.js';
import type { HttpEnv } from '../http-env.js';

/** The admin password the test gateways use: strong enough for the password rule. */
export const adminPassword = 'Correct-Horse-9-Battery';

/** `auth_config` turning admin auth on with {@link adminPassword}. */
export const enabledAuth: AdminAuthConfig = {
  is_enabled: true,
  admin_username: 'admin',
  admin_password: adminPassword,
};

/** The OpenAI key the test config starts with; no answer or log line may contain it. */
export const startingKey = 'sk-starting-5b1e9c0d7a3f4e2b8c6d';

/** A gateway app over a real engine built from a config, with the management API and every log line kept. */
export interface AdminTestGateway {
  app: Hono<HttpEnv>;
  /** The running config, as `applyConfig` last left it. */
  config(): ConfigFile;
  /** Every log line written, as JSON text. */
  logs: string[];
  shutdown(): Promise<void>;
}

/**
 * Builds the engine from a one-provider config (OpenAI, one key) the way the gateway does, and the HTTP app with
 * `admin` options whose `applyConfig` reloads that engine.
 */
export async function createAdminTestGateway(admin: AdminTestGatewayOptions = {}): Promise<AdminTestGateway> {
  const logs: string[] = [];
  const logger = createJsonLogger({ level: 'debug', sink: (line) => void logs.push(line) });
  let current = parseConfig({
    providers: { openai: { keys: [{ id: 'openai-primary', name: 'primary', value: startingKey }] } },
  });
  const { engine, reload } = await createEngineFromConfig({ config: current, configDirectory: '.', logger });
  const app = createHttpApp({
    engine,
    logger,
    admin: {
      ...admin,
      config: () => current,
      applyConfig: async (next) => {
        // The engine validates the providers; parsing again checks the shape as a config file would be.
        const validated = parseConfig(next);
        await reload(validated);
        current = validated;
      },
    },
  });
  return { app, config: () => current, logs, shutdown: () => engine.shutdown() };
}

/** Options of {@link createAdminTestGateway}. */
export type AdminTestGatewayOptions = Partial<Omit<AdminOptions, 'config' | 'applyConfig'>>;

/**
 * For a test file's top level: a function that starts gateways with {@link createAdminTestGateway}, every one of
 * them shut down after each test.
 */
export function useAdminTestGateways(): (options?: AdminTestGatewayOptions) => Promise<AdminTestGateway> {
  const started: AdminTestGateway[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((gateway) => gateway.shutdown()));
  });
  return async (options) => {
    const gateway = await createAdminTestGateway(options);
    started.push(gateway);
    return gateway;
  };
}

/** `Authorization: Basic …` for the test admin, or for the given credentials. */
export function basicAuth(username = 'admin', password = adminPassword): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

/** A JSON request to the app. */
export function sendJson(
  app: Hono<HttpEnv>,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  return Promise.resolve(app.request(path, init));
}
