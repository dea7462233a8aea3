import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chat,
  createVirtualKey,
  eventually,
  type GovernedGateway,
  management,
  openAIProvider,
  removeAppDir,
  startGovernedGateway,
} from './support/governance-gateway.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import {
  type PostgresServer,
  postgresUnavailableReason,
  startPostgresServer,
} from './support/postgres-server.js';
import { hasRedisServer, type RedisServer, startRedisServer } from './support/redis-server.js';

// Two gateway processes sharing one real Postgres (keys, budgets) and one real Redis (counters): limits hold
// across both, as upstream Bifrost's per-replica counters do not (its issue #3547).
const postgresMissing = postgresUnavailableReason();
if (postgresMissing !== undefined && process.env.CI === 'true') throw new Error(postgresMissing);
const runnable = postgresMissing === undefined && hasRedisServer();

let upstream: OpenAIUpstream;
let postgres: PostgresServer;
let redis: RedisServer;
let first: GovernedGateway;
let second: GovernedGateway;

const sharedConfig = () => ({
  providers: openAIProvider(upstream),
  config_store: { type: 'postgres', connection_string: 'env.DATABASE_URL' },
  counters: { type: 'redis', url: redis.url, fail_mode: 'open' },
});

describe.runIf(runnable)('governance across two gateway processes', () => {
  beforeAll(async () => {
    upstream = await startOpenAIUpstream();
    [postgres, redis] = await Promise.all([startPostgresServer(), startRedisServer()]);
    const env = { DATABASE_URL: postgres.connectionString };
    first = await startGovernedGateway({ config: sharedConfig(), env });
    second = await startGovernedGateway({ config: sharedConfig(), env });
  }, 180_000);
  afterAll(async () => {
    for (const gateway of [first, second]) {
      await gateway?.stop();
      if (gateway) await removeAppDir(gateway.appDir);
    }
    await redis?.stop();
    await postgres?.stop();
    await upstream?.close();
  });

  it('serves a key created on one instance from the other at once', async () => {
    const key = await createVirtualKey(first, {
      name: 'shared',
      provider_configs: [{ provider: 'openai', weight: 1, allowed_models: ['*'], key_ids: ['*'] }],
    });
    expect((await chat(second, key.value)).status).toBe(200);
  });

  it('admits exactly N requests across both instances under a limit of N', async () => {
    const limit = 10;
    const key = await createVirtualKey(first, {
      name: 'ten-across-two',
      provider_configs: [{ provider: 'openai', weight: 1, allowed_models: ['*'], key_ids: ['*'] }],
      rate_limit: { request_max_limit: limit, request_reset_duration: '1h' },
    });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, index) => chat(index % 2 === 0 ? first : second, key.value)),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30 - limit);
  });

  it('overspends a budget by at most one request’s estimate under 50 concurrent requests', async () => {
    // Learn one request's cost first, then allow a budget of a few requests and send 50 at once.
    const probe = await createVirtualKey(first, {
      name: 'cost-probe',
      provider_configs: [{ provider: 'openai', weight: 1, allowed_models: ['*'], key_ids: ['*'] }],
    });
    const priced = await chat(first, probe.value, 'openai/gpt-4o-mini', { max_tokens: 50 });
    const cost = priced.body.extra_fields.cost as number;
    expect(cost).toBeGreaterThan(0);
    const maxLimit = cost * 5.5;
    const key = await createVirtualKey(first, {
      name: 'edge-of-budget',
      provider_configs: [{ provider: 'openai', weight: 1, allowed_models: ['*'], key_ids: ['*'] }],
      budgets: [{ max_limit: maxLimit, reset_duration: '1d' }],
    });
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        chat(index % 2 === 0 ? first : second, key.value, 'openai/gpt-4o-mini', { max_tokens: 50 }),
      ),
    );
    const admitted = answers.filter((answer) => answer.status === 200);
    const spent = admitted.reduce((sum, answer) => sum + (answer.body.extra_fields.cost as number), 0);
    expect(answers.every((answer) => answer.status === 200 || answer.status === 402)).toBe(true);
    // How many get in depends on timing: each holds an estimate (its prompt plus max_tokens) until it settles.
    expect(admitted.length).toBeGreaterThanOrEqual(1);
    // Reservations keep what is held plus what is spent under the budget; one request may cross the line,
    // never two (each costs exactly `cost` here: the upstream's answers are all alike).
    expect(spent).toBeLessThanOrEqual(maxLimit + cost * 1.01);
    const live = await eventually(
      () => management(first, 'GET', `/api/governance/virtual-keys/${key.id}?from_memory=true`),
      (answer) => answer.body.virtual_key?.budgets?.[0]?.current_usage > 0,
    );
    expect(live.body.virtual_key.budgets[0].current_usage).toBeCloseTo(spent, 6);
  });

  it('keeps serving while Redis is down (fail open) and counts again once it is back', async () => {
    const key = await createVirtualKey(first, {
      name: 'redis-outage',
      provider_configs: [{ provider: 'openai', weight: 1, allowed_models: ['*'], key_ids: ['*'] }],
      rate_limit: { request_max_limit: 1000, request_reset_duration: '1h' },
    });
    await redis.kill();
    const during = await Promise.all(Array.from({ length: 10 }, () => chat(first, key.value)));
    expect(during.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    await redis.restart();
    const after = await eventually(
      () => chat(second, key.value),
      (answer) => answer.status === 200,
    );
    expect(after.status).toBe(200);
    expect(first.process.exitCode).toBeNull();
    expect(second.process.exitCode).toBeNull();
  });

  it('keeps serving known keys while Postgres is down, and writes again once it is back', async () => {
    const key = await createVirtualKey(first, {
      name: 'postgres-outage',
      provider_configs: [{ provider: 'openai', weight: 1, allowed_models: ['*'], key_ids: ['*'] }],
    });
    expect((await chat(second, key.value)).status).toBe(200);
    await postgres.pause();
    try {
      const during = await Promise.all(Array.from({ length: 5 }, () => chat(second, key.value)));
      expect(during.map((answer) => answer.status)).toEqual(Array(5).fill(200));
      const write = await management(first, 'POST', '/api/governance/virtual-keys', { name: 'while-down' });
      expect(write.status).toBe(503);
    } finally {
      await postgres.start();
    }
    const created = await eventually(
      () => management(first, 'POST', '/api/governance/virtual-keys', { name: 'after-outage' }),
      (answer) => answer.status === 200,
      20_000,
    );
    expect(created.status).toBe(200);
  });
});
