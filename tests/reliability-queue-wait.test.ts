import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { defaultOpenAIReply } from './support/openai-default-replies.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import { type JsonAnswer, postJson } from './support/post-json.js';

let upstream: OpenAIUpstream;
let gateway: GatewayProcess;
let openGate: () => void = () => {};
const patiently = { timeout: 5_000 };

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
  const oneAtATime = {
    keys: [{ value: 'sk-queue' }],
    network_config: { base_url: upstream.url },
    concurrency_and_buffer_size: { concurrency: 1, buffer_size: 4, max_queue_wait_in_seconds: 0.5 },
  };
  gateway = await startGateway({
    config: { providers: { openai: oneAtATime, groq: oneAtATime } },
    args: ['-plugins', 'prometheus'],
  });
});
afterEach(() => {
  openGate();
  upstream.reset();
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

/** Holds every upstream answer until the returned function is called. */
function holdUpstreamAnswers(): () => void {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  upstream.setHandler(async (request) => {
    await opened;
    return defaultOpenAIReply(request);
  });
  openGate = release;
  return release;
}

function chat(model: string, fallbacks?: string[]): Promise<JsonAnswer> {
  return postJson(`${gateway.url}/v1/chat/completions`, {
    model,
    messages: [{ role: 'user', content: 'Hello' }],
    ...(fallbacks && { fallbacks }),
  });
}

describe('max_queue_wait_in_seconds', () => {
  it('refuses a request that waited past the limit with 429 queue_full and Retry-After, and serves the rest', async () => {
    const open = holdUpstreamAnswers();
    const first = chat('openai/gpt-4o-mini');
    await vi.waitFor(() => expect(upstream.requests).toHaveLength(1), patiently);

    const startedAt = performance.now();
    const queued = await Promise.all([chat('openai/gpt-4o-mini'), chat('openai/gpt-4o-mini')]);
    const waitedMs = performance.now() - startedAt;

    for (const answer of queued) {
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(answer.body).toMatchObject({
        is_bifrost_error: true,
        error: {
          message: expect.stringMatching(/^waited 0\.5s for a free openai slot \(max_queue_wait_in_seconds/),
        },
        extra_fields: { error_code: 'queue_full', provider: 'openai' },
      });
    }
    // Failing fast: about the limit, not the upstream's time.
    expect(waitedMs).toBeGreaterThanOrEqual(450);
    expect(waitedMs).toBeLessThan(3_000);
    expect(upstream.requests).toHaveLength(1);

    open();
    expect((await first).status).toBe(200);
    expect((await chat('openai/gpt-4o-mini')).status).toBe(200);

    // The refusals are counted by reason, and their waits land in the queue-wait histogram.
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(
      sample(metrics, 'bifrost_error_requests_total', ['provider="openai"', 'reason="queue_full"']),
    ).toBe(2);
    const total = sample(metrics, 'bifrost_queue_wait_seconds_count', ['provider="openai"']);
    const quick = sample(metrics, 'bifrost_queue_wait_seconds_bucket', ['provider="openai"', 'le="0.25"']);
    // Two of the openai attempts waited past a quarter of a second: the two refused.
    expect(total - quick).toBe(2);
  });

  it('moves a request that waited too long on to its fallback', async () => {
    const open = holdUpstreamAnswers();
    const first = chat('openai/gpt-4o-mini');
    await vi.waitFor(() => expect(upstream.requests).toHaveLength(1), patiently);

    const fallingBack = chat('openai/gpt-4o-mini', ['groq/llama-3.1-8b-instant']);
    // The fallback reaches the upstream once its wait for openai's slot has run out.
    await vi.waitFor(() => expect(upstream.requests).toHaveLength(2), patiently);
    open();

    const answer = await fallingBack;
    expect(answer.status).toBe(200);
    expect(answer.body.extra_fields).toMatchObject({ provider: 'groq', fallback_index: 1 });
    expect((await first).status).toBe(200);
  });
});

/** The value of the one sample of `metric` whose labels include every one of `labels`. */
function sample(metrics: string, metric: string, labels: string[]): number {
  const lines = metrics
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`) && labels.every((label) => line.includes(label)));
  expect(lines).toHaveLength(1);
  return Number(lines[0]!.slice(lines[0]!.lastIndexOf(' ') + 1));
}
