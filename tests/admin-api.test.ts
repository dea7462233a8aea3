import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chat,
  management,
  openAIProvider,
  removeAppDir,
  startGovernedGateway,
} from './support/governance-gateway.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';

// The binary with admin authentication from its config file and the embedded store in its app directory: the
// management API asks for the admin, inference does not, and what the API changes survives a restart.

const password = 'Binary-Admin-4-Password';
const apiKey = 'sk-added-through-the-api-1234';
const basic = { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` };

let upstream: OpenAIUpstream;
let appDir: string | undefined;
beforeAll(async () => {
  upstream = await startOpenAIUpstream();
});
afterAll(async () => {
  await upstream?.close();
  if (appDir) await removeAppDir(appDir);
});

describe('the management API of the binary', () => {
  it('asks for the admin on /api but not on inference, and keeps what it changed across a restart', async () => {
    const config = {
      providers: openAIProvider(upstream),
      auth_config: {
        is_enabled: true,
        admin_username: 'admin',
        admin_password: 'env.BIFROST_ADMIN_PASSWORD',
      },
    };
    const env = { BIFROST_ADMIN_PASSWORD: password };
    const before = await startGovernedGateway({ config, env });
    appDir = before.appDir;
    try {
      expect((await management(before, 'GET', '/api/providers')).status).toBe(401);
      expect((await chat(before, undefined)).status).toBe(200);
      const created = await management(
        before,
        'POST',
        '/api/providers/openai/keys',
        { id: 'added', name: 'added', value: apiKey },
        basic,
      );
      expect(created.status).toBe(200);
      const saved = await management(
        before,
        'PUT',
        '/api/config',
        { client_config: { mcp_enable_temp_token_auth: true } },
        basic,
      );
      expect(saved.status).toBe(200);
    } finally {
      await before.stop();
    }

    const after = await startGovernedGateway({ config, env, appDir });
    try {
      const login = await management(after, 'POST', '/api/session/login', { username: 'admin', password });
      expect(login.status).toBe(200);
      const bearer = { authorization: `Bearer ${login.body.token}` };
      const keys = await management(after, 'GET', '/api/keys', undefined, bearer);
      expect(keys.body.map((key: { key_id: string }) => key.key_id).sort()).toEqual(['added', 'openai-main']);
      const settings = await management(after, 'GET', '/api/config', undefined, bearer);
      expect(settings.body.client_config.mcp_enable_temp_token_auth).toBe(true);
      expect(settings.body.auth_config).toMatchObject({ is_enabled: true, admin_password: '<redacted>' });
      for (const line of [...before.stdout, ...before.stderr, ...after.stdout, ...after.stderr]) {
        expect(line).not.toContain(password);
        expect(line).not.toContain(apiKey);
      }
    } finally {
      await after.stop();
    }
  }, 240_000);
});
