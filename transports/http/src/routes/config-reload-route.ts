import { ConfigError, GatewayError, type ProvidersReload } from '@bifrost/core';
import type { Hono } from 'hono';
import { jsonContentType } from '../error-response.js';
import type { HttpEnv } from '../http-env.js';

/**
 * `POST /api/config/reload`: re-reads the config file and applies it. An invalid file is a 400 naming each
 * problem, and the running config stays. Without a config file (the embedded default) there is nothing to re-read.
 */
export function registerConfigReloadRoute(
  app: Hono<HttpEnv>,
  reloadConfig: (() => Promise<ProvidersReload>) | undefined,
): void {
  app.post('/api/config/reload', async () => {
    if (!reloadConfig) {
      throw new GatewayError(
        'invalid_request',
        'the gateway runs on its embedded default config: start it with -config to reload a file',
      );
    }
    let summary: ProvidersReload;
    try {
      summary = await reloadConfig();
    } catch (error) {
      if (error instanceof ConfigError) {
        throw new GatewayError('invalid_request', `config not reloaded: ${error.message}`, {
          param: 'config',
        });
      }
      throw GatewayError.from(error);
    }
    return new Response(JSON.stringify({ status: 'reloaded', ...summary }), {
      headers: { 'content-type': jsonContentType },
    });
  });
}
