import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { defaultOpenAIReply } from './support/openai-default-replies.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import { type JsonAnswer, postJson } from './support/post-json.js';

let upstream: OpenAIUpstream;
const gateways: GatewayProcess[] = [];
let openGate: () => void = () => {};
// The gateway runs in another process; on a busy machine it may take a moment to get to a request.
const patiently = { timeout: 5_000 };

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
});
afterEach(() => {
  openGate();
  upstream.reset();
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await upstream?.close();
});

async function gatewayWith(providers: Record<string, unknown>, args: string[] = []): Promise<GatewayProcess> {
  const gateway = await startGateway({ config: { providers }, args });
  gateways.push(gateway);
  return gateway;
}

function chat(gateway: GatewayProcess, model: string, signal?: AbortSignal): Promise<JsonAnswer> {
  return postJson(
    `${gateway.url}/v1/chat/completions`,
    { model, messages: [{ role: 'user', content: 'Hello' }] },
    { signal },
  );
}

/** Holds every upstream answer until the returned function is called; counts requests answered at once. */
function holdUpstreamAnswers(): { open: () => void; maxConcurrent: () => number } {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  let active = 0;
  let max = 0;
  upstream.setHandler(async (request) => {
    active += 1;
    max = Math.max(max, active);
    await opened;
    active -= 1;
    return defaultOpenAIReply(request);
  });
  openGate = release;
  return { open: release, maxConcurrent: () => max };
}

function authorizations(): string[] {
  return upstream.requests.map((request) => String(request.headers.authorization).replace(/^Bearer /, ''));
}

describe('weighted keys', () => {
  let gateway: GatewayProcess;

  beforeAll(async () => {
    gateway = await gatewayWith({
      openai: {
        keys: [
          { value: 'sk-weight-1', weight: 1 },
          { value: 'sk-weight-3', weight: 3 },
          { value: 'sk-weight-0', weight: 0 },
          { value: 'sk-gpt-4o-only', weight: 1, models: ['gpt-4o'] },
        ],
        network_config: { base_url: upstream.url },
      },
      groq: {
        keys: [
          { value: 'gsk-small', models: ['llama-3.1-8b-instant'] },
          { value: 'gsk-large', models: ['llama-3.3-70b-versatile'] },
        ],
        network_config: { base_url: upstream.url },
      },
    });
  });

  it('spreads requests over the keys by weight and never uses a weight-0 key', async () => {
    const total = 400;
    const batch = 50;
    for (let sent = 0; sent < total; sent += batch) {
      const answers = await Promise.all(
        Array.from({ length: batch }, () => chat(gateway, 'openai/gpt-4o-mini')),
      );
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
    }

    const used = authorizations();
    expect(used).toHaveLength(total);
    const count = (key: string) => used.filter((value) => value === key).length;
    expect(count('sk-weight-0')).toBe(0);
    expect(count('sk-gpt-4o-only')).toBe(0);
    expect(count('sk-weight-1') + count('sk-weight-3')).toBe(total);
    // Binomial: the light key's share is 1/4; 4.5 standard deviations make a false failure a one-in-150,000 event.
    const expected = total / 4;
    const deviation = Math.sqrt(total * (1 / 4) * (3 / 4));
    expect(Math.abs(count('sk-weight-1') - expected)).toBeLessThanOrEqual(4.5 * deviation);
  });

  it('uses a key restricted by models only for those models', async () => {
    for (let index = 0; index < 10; index++) {
      expect((await chat(gateway, 'groq/llama-3.1-8b-instant')).status).toBe(200);
      expect((await chat(gateway, 'groq/llama-3.3-70b-versatile')).status).toBe(200);
    }

    const keyByModel = upstream.requests.map(
      (request) => `${(request.body as { model: string }).model} ${request.headers.authorization}`,
    );
    expect(new Set(keyByModel)).toEqual(
      new Set(['llama-3.1-8b-instant Bearer gsk-small', 'llama-3.3-70b-versatile Bearer gsk-large']),
    );
  });

  it('refuses a model that no key serves with a 400 naming the provider and model', async () => {
    const answer = await chat(gateway, 'groq/mixtral-8x7b-32768');

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      is_bifrost_error: true,
      error: { message: expect.stringMatching(/groq.*mixtral-8x7b-32768/) },
      extra_fields: { error_code: 'no_key_available', provider: 'groq', model: 'mixtral-8x7b-32768' },
    });
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('queue', () => {
  const oneAtATime = (url: string) => ({
    openai: {
      keys: [{ value: 'sk-queue' }],
      network_config: { base_url: url },
      concurrency_and_buffer_size: { concurrency: 1, buffer_size: 1 },
    },
  });

  describe('with -drop-excess-requests', () => {
    let gateway: GatewayProcess;

    beforeAll(async () => {
      gateway = await gatewayWith(oneAtATime(upstream.url), ['-drop-excess-requests']);
    });

    it('refuses requests beyond the running one and the buffer with 429 queue_full', async () => {
      const gate = holdUpstreamAnswers();
      const first = chat(gateway, 'openai/gpt-4o-mini');
      await vi.waitFor(() => expect(upstream.requests).toHaveLength(1), patiently);

      const extras = Array.from({ length: 3 }, () => chat(gateway, 'openai/gpt-4o-mini'));
      const settled: JsonAnswer[] = [];
      for (const extra of extras) void extra.then((answer) => settled.push(answer));
      // Two are refused while the first still runs; the one that fits the buffer waits.
      await vi.waitFor(() => expect(settled).toHaveLength(2), patiently);
      expect(settled.map((answer) => answer.status)).toEqual([429, 429]);
      expect(upstream.requests).toHaveLength(1);
      for (const answer of settled) {
        expect(answer.body).toMatchObject({
          is_bifrost_error: true,
          error: { message: expect.stringContaining('queue is full') },
          extra_fields: { error_code: 'queue_full', provider: 'openai' },
        });
      }
      gate.open();

      expect((await first).status).toBe(200);
      const answers = await Promise.all(extras);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 429, 429]);
      expect(upstream.requests).toHaveLength(2);
    });

    it('frees the buffer slot of a client that disconnects while queued', async () => {
      const gate = holdUpstreamAnswers();
      const first = chat(gateway, 'openai/gpt-4o-mini');
      await vi.waitFor(() => expect(upstream.requests).toHaveLength(1), patiently);
      const leaving = new AbortController();
      const queued = chat(gateway, 'openai/gpt-4o-mini', leaving.signal).catch((error: Error) => error);
      // A head start, so the probe below cannot overtake it on its way into the gateway; then a refused probe
      // shows the buffer is full, so the request above is the one waiting.
      await sleep(100);
      await vi.waitFor(
        async () => expect((await chat(gateway, 'openai/gpt-4o-mini')).status).toBe(429),
        patiently,
      );

      leaving.abort();
      expect(await queued).toBeInstanceOf(Error);
      // Once the gateway notices the disconnect, a new request waits in the freed slot instead of being refused.
      let next!: Promise<JsonAnswer>;
      await vi.waitFor(async () => {
        next = chat(gateway, 'openai/gpt-4o-mini');
        const early = await Promise.race([next, sleep(250).then(() => 'waiting' as const)]);
        expect(early).toBe('waiting');
      }, patiently);
      gate.open();

      expect((await first).status).toBe(200);
      expect((await next).status).toBe(200);
      expect(upstream.requests).toHaveLength(2);
    });
  });

  describe('without -drop-excess-requests', () => {
    let gateway: GatewayProcess;

    beforeAll(async () => {
      gateway = await gatewayWith(oneAtATime(upstream.url));
    });

    it('makes excess requests wait, then serves them all one at a time', async () => {
      const gate = holdUpstreamAnswers();
      const first = chat(gateway, 'openai/gpt-4o-mini');
      await vi.waitFor(() => expect(upstream.requests).toHaveLength(1), patiently);

      const extras = Array.from({ length: 4 }, () => chat(gateway, 'openai/gpt-4o-mini'));
      const early = await Promise.race([Promise.any(extras), sleep(250).then(() => 'waiting' as const)]);
      expect(early).toBe('waiting');
      expect(upstream.requests).toHaveLength(1);
      gate.open();
      const answers = [await first, ...(await Promise.all(extras))];

      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
      expect(upstream.requests).toHaveLength(5);
      expect(gate.maxConcurrent()).toBe(1);
    });
  });
});
