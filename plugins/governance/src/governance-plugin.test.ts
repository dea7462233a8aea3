import type { ChatResponse } from '@bifrost/schemas';
import { pluginValueKeys } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import type { GovernancePlugin } from './governance-plugin.js';
import type { RateLimitRow } from './state/governance-rows.js';
import {
  budgetRow,
  governanceRows,
  providerConfigRow,
  rateLimitRow,
  virtualKeyRow,
} from './testing/governance-rows-builder.js';
import { chatRequest, chatResponse, runAttempt, testContext, testPlugin } from './testing/plugin-harness.js';

const key = 'sk-bf-alpha';

function keyWith(parts: { rate_limit_id?: string; budgets?: string[] } = {}) {
  return governanceRows({
    virtualKeys: [
      virtualKeyRow({ id: 'alpha', name: 'alpha', value: key, rate_limit_id: parts.rate_limit_id ?? null }),
    ],
    providerConfigs: [providerConfigRow({ virtual_key_id: 'alpha', provider: 'openai', key_ids: ['key-1'] })],
  });
}

function keyWithRateLimit(limit: Partial<RateLimitRow>) {
  const rows = keyWith({ rate_limit_id: 'rl' });
  rows.rateLimits.push(rateLimitRow({ ...limit, id: 'rl' }));
  return rows;
}

/** Runs one attempt with the test key and returns its refusal, if any. */
async function refusalWithKey(plugin: GovernancePlugin, response: ChatResponse | undefined) {
  return (await runAttempt(plugin, testContext({ virtualKey: key }), response)).refusal;
}

describe('GovernancePlugin', () => {
  it('lets a request without a key through when enforcement is off, and prices its answer', async () => {
    const { plugin } = await testPlugin(governanceRows({}));
    const context = testContext();
    const response = chatResponse(1000, 500);
    const { refusal } = await runAttempt(plugin, context, response);
    expect(refusal).toBeUndefined();
    expect(response.extra_fields.cost).toBeCloseTo(2);
    expect(context.values.get(pluginValueKeys.cost)).toBeCloseTo(2);
  });

  it('reports a model nothing prices as unpriced, never as 0', async () => {
    const { plugin } = await testPlugin(governanceRows({}));
    const response = chatResponse(10, 10, 'unknown-model');
    await runAttempt(plugin, testContext({ model: 'unknown-model' }), response);
    expect(response.extra_fields.cost).toBeUndefined();
    expect(response.extra_fields.cost_status).toBe('unpriced');
  });

  it('refuses a request without a key when enforcement is on', async () => {
    const { plugin } = await testPlugin(governanceRows({}), { enforceAuthOnInference: true });
    const { refusal } = await runAttempt(plugin, testContext(), chatResponse(1, 1));
    expect(refusal).toMatchObject({
      error: {
        type: 'virtual_key_required',
        status_code: 401,
        is_bifrost_error: false,
        allow_fallbacks: false,
        error: { message: 'virtual key is required. Provide a virtual key via the x-bf-vk header.' },
        extra_fields: { error_code: 'authentication_failed', provider: 'openai', model: 'test-model' },
      },
    });
  });

  it.each(['sk-bf-unknown', 'legacy-value'])(
    'refuses the unknown key %s as access_not_found',
    async (value) => {
      const { plugin } = await testPlugin(keyWith());
      const { refusal } = await runAttempt(plugin, testContext({ virtualKey: value }), undefined);
      expect(refusal).toMatchObject({ error: { type: 'access_not_found', status_code: 401 } });
    },
  );

  it('pins the request to the provider config key ids and names the key for metrics', async () => {
    const { plugin } = await testPlugin(keyWith());
    const context = testContext({ virtualKey: key });
    await plugin.preHook(context, chatRequest());
    expect(context.values.get(pluginValueKeys.allowedKeyIds)).toEqual(['key-1']);
    expect(context.values.get(pluginValueKeys.virtualKeyId)).toBe('alpha');
  });

  it('lets a provider refusal fall back, and words it as upstream does', async () => {
    const { plugin } = await testPlugin(keyWith());
    const { refusal } = await runAttempt(
      plugin,
      testContext({ virtualKey: key, provider: 'anthropic' }),
      undefined,
    );
    expect(refusal).toMatchObject({
      error: {
        type: 'provider_blocked',
        status_code: 403,
        allow_fallbacks: true,
        error: { message: "Provider 'anthropic' is not allowed for virtual key 'alpha'" },
      },
    });
  });

  it('admits exactly request_max_limit requests and never counts the refused one', async () => {
    const { plugin, counters } = await testPlugin(
      keyWithRateLimit({ request_max_limit: 2, request_reset_duration: '1m' }),
    );
    for (let index = 0; index < 2; index++) {
      const refusal = await refusalWithKey(plugin, chatResponse(1, 1));
      expect(refusal).toBeUndefined();
    }
    const refusal = await refusalWithKey(plugin, chatResponse(1, 1));
    expect(refusal).toMatchObject({
      error: {
        type: 'request_limited',
        status_code: 429,
        allow_fallbacks: false,
        extra_fields: { error_code: 'rate_limited' },
        error: {
          message:
            'Rate limit exceeded: rate limit violated for VK: [request limit exceeded (2/2, resets every 1m)]',
        },
      },
      headers: { 'x-ratelimit-limit-requests': '2', 'x-ratelimit-remaining-requests': '0' },
    });
    expect(Number((refusal as { headers: Record<string, string> }).headers['retry-after'])).toBeGreaterThan(
      0,
    );
    const usage = counters.usage('r:rl:q:1m', {
      duration: { text: '1m', unit: 'm', amount: 1, milliseconds: 60_000 },
    });
    expect(usage.used).toBe(2);
  });

  it('counts tokens from the answer and refuses once the token limit is reached', async () => {
    const { plugin } = await testPlugin(
      keyWithRateLimit({ token_max_limit: 100, token_reset_duration: '1h' }),
    );
    expect(await refusalWithKey(plugin, chatResponse(60, 50))).toBeUndefined();
    const refusal = await refusalWithKey(plugin, chatResponse(1, 1));
    expect(refusal).toMatchObject({
      error: {
        type: 'token_limited',
        error: {
          message:
            'Rate limit exceeded: rate limit violated for VK: [token limit exceeded (110/100, resets every 1h)]',
        },
      },
      headers: { 'x-ratelimit-limit-tokens': '100' },
    });
  });

  it('asks a limited stream for its usage, so that it cannot spend without being charged', async () => {
    const { plugin } = await testPlugin(
      keyWithRateLimit({ token_max_limit: 100, token_reset_duration: '1h' }),
    );
    const context = testContext({ virtualKey: key, requestType: 'chat_completion_stream' });
    const pre = await plugin.preHook(context, chatRequest());
    expect(pre?.request?.params?.stream_options).toEqual({ include_usage: true });
    const counted = await plugin.preHook(testContext({ virtualKey: key }), chatRequest());
    expect(counted?.request).toBeUndefined();
  });

  it('releases a failed request without usage: it is neither a request nor tokens', async () => {
    const { plugin } = await testPlugin(
      keyWithRateLimit({ request_max_limit: 1, request_reset_duration: '1m' }),
    );
    expect(await refusalWithKey(plugin, undefined)).toBeUndefined();
    expect(await refusalWithKey(plugin, chatResponse(1, 1))).toBeUndefined();
    expect(await refusalWithKey(plugin, chatResponse(1, 1))).toBeDefined();
  });

  it('charges the cost to the budget and refuses with 402 once it is spent', async () => {
    const rows = keyWith();
    rows.budgets.push(budgetRow({ id: 'b', max_limit: 3, virtual_key_id: 'alpha' }));
    const { plugin, ledger } = await testPlugin(rows);
    // $2 each: the second crosses the limit and still succeeds (upstream's `>=` pre-check), the third is refused.
    expect(await refusalWithKey(plugin, chatResponse(1000, 500))).toBeUndefined();
    expect(await refusalWithKey(plugin, chatResponse(1000, 500))).toBeUndefined();
    const refusal = await refusalWithKey(plugin, chatResponse(1, 1));
    expect(refusal).toMatchObject({
      error: {
        type: 'budget_exceeded',
        status_code: 402,
        extra_fields: { error_code: 'budget_exceeded' },
        error: { message: 'Budget exceeded: VK budget exceeded: 4.0 >= 3.0 dollars' },
      },
    });
    expect(ledger.drain(Date.now()).map((entry) => entry.amount)).toEqual([4]);
  });

  it('overspends a budget by at most one estimate when 50 requests arrive together at its edge', async () => {
    const rows = keyWith();
    rows.budgets.push(budgetRow({ id: 'b', max_limit: 1, virtual_key_id: 'alpha' }));
    const { plugin, counters } = await testPlugin(rows);
    const window = {
      duration: { text: '1h', unit: 'h' as const, amount: 1, milliseconds: 3_600_000 },
      anchor: Date.parse('2026-01-01T00:00:00Z'),
    };
    counters.charge('b:b:1h', window, 0.9);
    const contexts = Array.from({ length: 50 }, () => testContext({ virtualKey: key }));
    // Every preHook runs before any answer, as for concurrent requests; the estimate is 3 + 100 tokens ≈ $0.203.
    const admitted = [];
    for (const context of contexts) {
      const pre = await plugin.preHook(context, chatRequest());
      if (pre?.shortCircuit === undefined) admitted.push(context);
    }
    expect(admitted).toHaveLength(1);
    for (const context of admitted) await plugin.postHook(context, { response: chatResponse(3, 100) });
    const spent = counters.usage('b:b:1h', window).used;
    expect(spent - 1).toBeLessThanOrEqual(0.203 + 1e-9);
  });

  it('checks the deployment provider before the virtual key', async () => {
    const rows = keyWith({ rate_limit_id: 'vk-rl' });
    rows.rateLimits.push(
      rateLimitRow({ id: 'vk-rl', request_max_limit: 1, request_reset_duration: '1m' }),
      rateLimitRow({ id: 'p-rl', request_max_limit: 1, request_reset_duration: '1m' }),
    );
    rows.providers.push({ name: 'openai', budget_id: null, rate_limit_id: 'p-rl', calendar_aligned: false });
    const { plugin } = await testPlugin(rows);
    await runAttempt(plugin, testContext({ virtualKey: key }), chatResponse(1, 1));
    const refusal = await refusalWithKey(plugin, chatResponse(1, 1));
    expect(refusal).toMatchObject({
      error: {
        allow_fallbacks: true,
        error: { message: expect.stringContaining('rate limit violated for openai:') },
      },
    });
  });

  it('applies deployment limits to requests without a key', async () => {
    const rows = governanceRows({
      rateLimits: [rateLimitRow({ id: 'p-rl', request_max_limit: 1, request_reset_duration: '1m' })],
      providers: [{ name: 'openai', budget_id: null, rate_limit_id: 'p-rl', calendar_aligned: false }],
    });
    const { plugin } = await testPlugin(rows);
    expect((await runAttempt(plugin, testContext(), chatResponse(1, 1))).refusal).toBeUndefined();
    expect((await runAttempt(plugin, testContext(), chatResponse(1, 1))).refusal).toMatchObject({
      error: { type: 'request_limited' },
    });
  });

  it('routes a bare model away from a provider config whose limit is spent', async () => {
    const rows = governanceRows({
      virtualKeys: [virtualKeyRow({ id: 'alpha', name: 'alpha', value: key })],
      providerConfigs: [
        providerConfigRow({
          virtual_key_id: 'alpha',
          provider: 'openai',
          weight: 9,
          id: 1,
          rate_limit_id: 'rl',
        }),
        providerConfigRow({ virtual_key_id: 'alpha', provider: 'anthropic', weight: 1, id: 2 }),
      ],
      rateLimits: [rateLimitRow({ id: 'rl', request_max_limit: 1, request_reset_duration: '1h' })],
    });
    const { plugin } = await testPlugin(rows, { random: () => 0 });
    const input = { virtualKey: key, requestType: 'chat_completion' as const };
    expect(plugin.routeModel('test-model', input)?.map((target) => target.provider)).toEqual([
      'openai',
      'anthropic',
    ]);
    await runAttempt(plugin, testContext({ virtualKey: key }), chatResponse(1, 1));
    expect(plugin.routeModel('test-model', input)?.map((target) => target.provider)).toEqual(['anthropic']);
    expect(plugin.routeModel('test-model', { ...input, virtualKey: undefined })).toBeUndefined();
  });

  it('adds the cost to the streamed chunk that carries usage', async () => {
    const { plugin } = await testPlugin(governanceRows({}));
    const context = testContext();
    const chunk = {
      id: 'c',
      object: 'chat.completion.chunk' as const,
      created: 0,
      model: 'test-model',
      choices: [],
      usage: { prompt_tokens: 1000, completion_tokens: 0, total_tokens: 1000 },
      extra_fields: { provider: 'openai' as const, model: 'test-model', latency: 1 },
    };
    plugin.onClosingStreamChunk(context, chunk);
    expect(chunk.extra_fields).toMatchObject({ cost: 1 });
    expect(context.values.get(pluginValueKeys.cost)).toBe(1);
  });
});
