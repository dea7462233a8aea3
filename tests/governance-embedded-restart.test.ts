import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chat,
  createVirtualKey,
  eventually,
  management,
  openAIProvider,
  removeAppDir,
  startGovernedGateway,
} from './support/governance-gateway.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';

// The embedded store (Postgres in the app directory, no server) keeps keys and what they spent across a restart.
let upstream: OpenAIUpstream;
let appDir: string | undefined;

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
});
afterAll(async () => {
  await upstream?.close();
  if (appDir) await removeAppDir(appDir);
});

describe('a restart on the embedded store', () => {
  it('keeps virtual keys, their request counts and their spend', async () => {
    const config = { providers: openAIProvider(upstream) };
    const before = await startGovernedGateway({ config });
    appDir = before.appDir;
    const key = await createVirtualKey(before, {
      name: 'survives-restart',
      provider_configs: [{ provider: 'openai', weight: 1, allowed_models: ['*'], key_ids: ['*'] }],
      rate_limit: { request_max_limit: 3, request_reset_duration: '1d' },
      budgets: [{ max_limit: 100, reset_duration: '1M' }],
    });
    expect((await chat(before, key.value)).status).toBe(200);
    expect((await chat(before, key.value)).status).toBe(200);
    const spentBefore = await eventually(
      () => management(before, 'GET', `/api/governance/virtual-keys/${key.id}?from_memory=true`),
      (answer) => answer.body.virtual_key?.rate_limit?.request_current_usage === 2,
    );
    const usage = spentBefore.body.virtual_key.budgets[0].current_usage as number;
    expect(usage).toBeGreaterThan(0);
    expect(await before.stop()).toBe(0);

    const after = await startGovernedGateway({ config, appDir });
    try {
      const stored = await management(after, 'GET', `/api/governance/virtual-keys/${key.id}`);
      expect(stored.status).toBe(200);
      expect(stored.body.virtual_key.name).toBe('survives-restart');
      expect(stored.body.virtual_key.budgets[0].current_usage).toBeCloseTo(usage, 9);
      expect(stored.body.virtual_key.rate_limit.request_current_usage).toBe(2);
      // Two of three requests were spent before the restart: one more is admitted, then the limit holds.
      expect((await chat(after, key.value)).status).toBe(200);
      expect((await chat(after, key.value)).status).toBe(429);
    } finally {
      await after.stop();
    }
  }, 180_000);
});
