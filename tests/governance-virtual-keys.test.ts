import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chat,
  createVirtualKey,
  type GovernedGateway,
  management,
  openAIProvider,
  removeAppDir,
  startGovernedGateway,
} from './support/governance-gateway.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';

// The decisions of upstream Bifrost's governance, through the real binary, with the official SDKs holding a
// virtual key as their API key.
let upstream: OpenAIUpstream;
let gateway: GovernedGateway;

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
  gateway = await startGovernedGateway({ config: { providers: openAIProvider(upstream) } });
}, 120_000);
afterAll(async () => {
  await gateway?.stop();
  if (gateway) await removeAppDir(gateway.appDir);
  await upstream?.close();
});

const openAIOnly = (extra: Record<string, unknown> = {}) => ({
  provider_configs: [
    { provider: 'openai', weight: 1, allowed_models: ['gpt-4o-mini'], key_ids: ['*'], ...extra },
  ],
});

describe('virtual keys on inference', () => {
  it('lets the OpenAI SDK use a virtual key as its API key, and never sends it upstream', async () => {
    const key = await createVirtualKey(gateway, { name: 'sdk-openai', ...openAIOnly() });
    expect(key.value).toMatch(/^sk-bf-/);
    const client = new OpenAI({ apiKey: key.value, baseURL: `${gateway.url}/openai/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(completion.choices[0]?.message.content).toContain('Hello');
    const sent = upstream.requests.at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer sk-upstream-key');
    expect(JSON.stringify(sent)).not.toContain(key.value);
  });

  it('routes a bare model by the key’s provider weights on /v1', async () => {
    const key = await createVirtualKey(gateway, { name: 'bare-model', ...openAIOnly() });
    const answer = await chat(gateway, key.value, 'gpt-4o-mini');
    expect(answer.status).toBe(200);
    expect(answer.body.extra_fields).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
  });

  it('puts the cost of the answer in extra_fields', async () => {
    const key = await createVirtualKey(gateway, { name: 'cost', ...openAIOnly() });
    const answer = await chat(gateway, key.value);
    expect(answer.status).toBe(200);
    expect(answer.body.extra_fields.cost).toBeGreaterThan(0);
  });

  it('refuses an unknown key with 401 access_not_found', async () => {
    const answer = await chat(gateway, 'sk-bf-does-not-exist');
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ type: 'access_not_found', status_code: 401 });
  });

  it('refuses an inactive key with 403 access_blocked, inactive winning over expired', async () => {
    const key = await createVirtualKey(gateway, { name: 'inactive', ...openAIOnly() });
    const update = await management(gateway, 'PUT', `/api/governance/virtual-keys/${key.id}`, {
      is_active: false,
    });
    expect(update.status).toBe(200);
    const answer = await chat(gateway, key.value);
    expect(answer.status).toBe(403);
    expect(answer.body.type).toBe('access_blocked');
    expect(answer.body.error.message).toContain('inactive');
    expect(answer.body.error.message).not.toContain('expired');
  });

  it('refuses a provider and a model the key does not allow with 403', async () => {
    const key = await createVirtualKey(gateway, {
      name: 'narrow',
      ...openAIOnly({ blacklisted_models: ['gpt-4o'] }),
    });
    const model = await chat(gateway, key.value, 'openai/gpt-4o');
    expect(model.status).toBe(403);
    expect(model.body.type).toBe('model_blocked');
    const provider = await chat(gateway, key.value, 'anthropic/claude-3-5-haiku-latest');
    expect(provider.status).toBe(403);
    expect(provider.body.type).toBe('provider_blocked');
  });

  it('admits exactly N requests under a request limit, then 429 request_limited with Retry-After', async () => {
    const key = await createVirtualKey(gateway, {
      name: 'two-per-hour',
      ...openAIOnly(),
      rate_limit: { request_max_limit: 2, request_reset_duration: '1h' },
    });
    const statuses = [];
    for (let index = 0; index < 3; index++) statuses.push((await chat(gateway, key.value)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await chat(gateway, key.value);
    expect(refused.body).toMatchObject({ type: 'request_limited', status_code: 429 });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
  });

  it('refuses with 402 budget_exceeded once spend reaches the budget, in the Anthropic SDK’s terms too', async () => {
    const key = await createVirtualKey(gateway, {
      name: 'tiny-budget',
      provider_configs: [{ provider: 'openai', weight: 1, allowed_models: ['*'], key_ids: ['*'] }],
      budgets: [{ max_limit: 0.000001, reset_duration: '1d' }],
    });
    const first = await chat(gateway, key.value);
    expect(first.status).toBe(200);
    const refused = await chat(gateway, key.value);
    expect(refused.status).toBe(402);
    expect(refused.body.type).toBe('budget_exceeded');
    expect(refused.body.error.message.toLowerCase()).toContain('budget exceeded');

    const anthropic = new Anthropic({
      apiKey: key.value,
      baseURL: `${gateway.url}/anthropic`,
      maxRetries: 0,
    });
    const error = await anthropic.messages
      .create({ model: 'openai/gpt-4o-mini', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(402);
  });
});

describe('bad input to the management API', () => {
  const create = (body: unknown) => management(gateway, 'POST', '/api/governance/virtual-keys', body);

  it.each([
    ['an unknown field', { name: 'typo', budgetz: [] }, 'budgetz'],
    [
      'a bad reset duration',
      { name: 'bad-window', budgets: [{ max_limit: 1, reset_duration: '1 fortnight' }] },
      'reset_duration',
    ],
    [
      'a negative limit',
      { name: 'negative', budgets: [{ max_limit: -1, reset_duration: '1d' }] },
      'max_limit',
    ],
    [
      'a limit without its window',
      { name: 'no-window', rate_limit: { request_max_limit: 5 } },
      'request_reset_duration',
    ],
  ])('refuses %s with a 400 naming the field, in upstream’s envelope', async (_case, body, field) => {
    const answer = await create(body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ is_bifrost_error: false, status_code: 400 });
    expect(answer.body.error.message).toContain(field);
  });

  it('refuses a name taken twice, naming the field, and keeps the first key working', async () => {
    const first = await createVirtualKey(gateway, { name: 'taken-twice', ...openAIOnly() });
    const second = await create({ name: 'taken-twice', ...openAIOnly() });
    expect(second.status).toBe(400);
    expect(second.body.error.message).toContain('name');
    expect((await chat(gateway, first.value)).status).toBe(200);
  });

  it('answers broken JSON with a 400, and unknown management paths with a JSON 404', async () => {
    const broken = await fetch(`${gateway.url}/api/governance/virtual-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(broken.status).toBe(400);
    const missing = await management(gateway, 'GET', '/api/governance/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/json');
    expect(missing.body.status_code).toBe(404);
  });
});

describe('enforce_auth_on_inference', () => {
  let enforced: GovernedGateway;
  beforeAll(async () => {
    enforced = await startGovernedGateway({
      config: { client: { enforce_auth_on_inference: true }, providers: openAIProvider(upstream) },
    });
  }, 120_000);
  afterAll(async () => {
    await enforced?.stop();
    if (enforced) await removeAppDir(enforced.appDir);
  });

  it('refuses a request without a virtual key with 401 virtual_key_required', async () => {
    const answer = await chat(enforced, undefined);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ type: 'virtual_key_required', status_code: 401 });
  });

  it('admits the same request with a virtual key', async () => {
    const key = await createVirtualKey(enforced, { name: 'enforced', ...openAIOnly() });
    expect((await chat(enforced, key.value)).status).toBe(200);
  });
});
