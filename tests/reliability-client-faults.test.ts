import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { openNonReadingClient, sendBodyWithoutFinishing } from './support/misbehaving-client.js';
import { type MisbehavingUpstream, startMisbehavingUpstream } from './support/misbehaving-upstream.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import { postJson } from './support/post-json.js';
import { readProcessMemory } from './support/process-memory.js';

// Clients that send too much, stall, go away or stop reading: the gateway refuses or cuts them without holding
// memory or queue slots, and keeps serving everyone else.

const messages = [{ role: 'user', content: 'Hello' }];
const megabyte = 1024 * 1024;
/** The provider with a queue of 2 running + 2 waiting. */
const queuedModel = 'xai/grok-3-mini';

let upstream: OpenAIUpstream;
let queued: OpenAIUpstream;
let streaming: MisbehavingUpstream;
let gateway: GatewayProcess;

beforeAll(async () => {
  [upstream, queued, streaming] = await Promise.all([
    startOpenAIUpstream(),
    startOpenAIUpstream(),
    startMisbehavingUpstream(),
  ]);
  gateway = await startGateway({
    config: {
      // A full queue answers 429 at once, so a slot that leaked shows as a refusal rather than a hang.
      client: { max_request_body_size_mb: 1, drop_excess_requests: true, client_read_timeout_in_seconds: 1 },
      providers: {
        openai: { keys: [{ value: 'sk-client-faults' }], network_config: { base_url: upstream.url } },
        xai: {
          keys: [{ value: 'sk-client-faults' }],
          network_config: { base_url: queued.url },
          concurrency_and_buffer_size: { concurrency: 2, buffer_size: 2 },
        },
        groq: { keys: [{ value: 'sk-client-faults' }], network_config: { base_url: streaming.url } },
      },
    },
  });
});
afterEach(() => {
  upstream.reset();
  queued.reset();
  streaming.reset();
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([upstream?.close(), queued?.close(), streaming?.close()]);
});

const chatUrl = () => `${gateway.url}/v1/chat/completions`;

async function expectStillServing(model = 'openai/gpt-4o-mini'): Promise<void> {
  const answer = await postJson(chatUrl(), { model, messages });
  expect(answer.status).toBe(200);
}

/** Polls until `condition` holds; fails the test with `what` after `timeoutMs`. */
async function waitFor(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(10);
  }
}

describe('request bodies over client.max_request_body_size_mb', () => {
  it.each([
    ['declared by content-length', { 'content-length': String(32 * megabyte) }],
    ['sent chunked without content-length', {}],
  ])('refuses a body %s with 413 while the client is still sending', async (_label, lengthHeader) => {
    const answer = await sendBodyWithoutFinishing(chatUrl(), {
      headers: { 'content-type': 'application/json', ...lengthHeader },
      bytes: 32 * megabyte,
    });

    expect(answer.status).toBe(413);
    expect(answer.bytesSent).toBeLessThan(32 * megabyte);
    expect(JSON.parse(answer.body)).toMatchObject({
      status_code: 413,
      error: {
        message: 'request body exceeds the 1 MB limit (client.max_request_body_size_mb)',
        type: 'payload_too_large',
        code: 'payload_too_large',
      },
    });
    expect(upstream.requests).toHaveLength(0);
    await expectStillServing();
  });
});

describe('a request body that stalls', () => {
  // Missing: no request-body timeout. The server keeps Node's defaults (requestTimeout 300 s, checked every
  // 30 s), so a client that sends half a body and waits holds its connection for about five minutes.
  it('is cut after client_read_timeout_in_seconds', async () => {
    const answer = await sendBodyWithoutFinishing(chatUrl(), {
      headers: { 'content-type': 'application/json', 'content-length': '2000' },
      bytes: 500,
      waitMs: 3_000,
    });

    expect(upstream.requests).toHaveLength(0);
    expect(answer.status === 408 || answer.closed).toBe(true);
  });
});

describe('a client that disconnects', () => {
  it('aborts the upstream request of a non-streamed call', async () => {
    upstream.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = postJson(
      chatUrl(),
      { model: 'openai/gpt-4o-mini', messages },
      { signal: controller.signal },
    );

    await waitFor('the upstream has the request', () => upstream.requests.length === 1);
    controller.abort();

    await expect(pending).rejects.toThrow();
    await waitFor('the upstream saw the abort', () => upstream.abortedCount() === 1);
    await expectStillServing();
  });

  it('aborts the upstream stream mid-way', async () => {
    const chunk = (content: string) => ({
      id: 'chatcmpl-slow',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, delta: { content }, finish_reason: null }],
    });
    upstream.enqueue({
      kind: 'sse',
      chunks: Array.from({ length: 200 }, (_, index) => chunk(`${index} `)),
      intervalMs: 20,
    });
    const controller = new AbortController();
    const response = await fetch(chatUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages, stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const first = await reader.read();

    expect(new TextDecoder().decode(first.value)).toMatch(/^data: \{/);
    controller.abort();
    await waitFor('the upstream saw the abort', () => upstream.abortedCount() === 1);
    await expectStillServing();
  });

  it('frees its queue slots: a queue of 2 running + 2 waiting keeps its size after 20 aborted requests', async () => {
    queued.setHandler(() => ({ kind: 'hang' }));
    for (let round = 1; round <= 5; round++) {
      const batch = sendHangingBatch();
      await waitFor(
        'two requests are running upstream',
        () => queued.requests.length >= batch.startedWith + 2,
      );
      await batch.abort();
    }
    // A waiter granted a slot just before its own abort was seen may reach the upstream a moment later.
    await sleep(200);
    await waitFor('every request that reached the upstream was aborted', () => allAborted());

    // Exactly 2 run and 2 wait, as before: none of the 20 kept a slot or a buffer place.
    const batch = sendHangingBatch();
    await waitFor(
      'two requests are running upstream',
      () => queued.requests.length === batch.startedWith + 2,
    );
    await sleep(100);
    const refused = await postJson(chatUrl(), { model: queuedModel, messages });
    expect(refused.status).toBe(429);
    expect(refused.body.extra_fields.error_code).toBe('queue_full');
    expect(queued.requests.length).toBe(batch.startedWith + 2);
    await batch.abort();

    queued.setHandler(undefined);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => postJson(chatUrl(), { model: queuedModel, messages })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
  });
});

/** Four requests to the queued provider, whose upstream hangs: two run, two wait. */
function sendHangingBatch(): { startedWith: number; abort(): Promise<void> } {
  const startedWith = queued.requests.length;
  const controllers = Array.from({ length: 4 }, () => new AbortController());
  const pending = controllers.map((controller) =>
    postJson(chatUrl(), { model: queuedModel, messages }, { signal: controller.signal }).catch(
      () => undefined,
    ),
  );
  return {
    startedWith,
    abort: async () => {
      for (const controller of controllers) controller.abort();
      await Promise.all(pending);
      await waitFor('the upstream saw the aborts', () => allAborted());
    },
  };
}

function allAborted(): boolean {
  return queued.abortedCount() === queued.requests.length;
}

describe('a streaming client that stops reading', () => {
  it('holds the upstream back instead of buffering the stream (gateway RSS stays bounded)', async () => {
    const events = 20_000;
    const eventBytes = 8 * 1024;
    streaming.enqueue({ kind: 'large-stream', events, eventBytes });
    const before = readProcessMemory(gateway.process.pid);
    const client = await openNonReadingClient(gateway.url, '/v1/chat/completions', {
      model: 'groq/llama-3.1-8b-instant',
      messages,
      stream: true,
    });

    // Backpressure has reached the upstream once its writes stop progressing for a while.
    let written = 0;
    for (let polls = 0; polls < 60; polls++) {
      await sleep(250);
      const now = streaming.largeStreamBytesWritten();
      if (now > 0 && now === written) break;
      written = now;
    }
    const during = readProcessMemory(gateway.process.pid);
    const total = events * eventBytes;
    console.info(
      `slow reader: upstream wrote ${(written / megabyte).toFixed(1)} of ${(total / megabyte).toFixed(0)} MiB; ` +
        `gateway RSS ${before?.rssMiB} MiB before, ${during?.rssMiB} MiB while held`,
    );

    expect(written).toBeLessThan(total / 4);
    if (before && during) expect(during.rssMiB - before.rssMiB).toBeLessThan(200);
    client.destroy();
    await waitFor('the upstream saw the abort', () => streaming.abortedCount() === 1);
    await expectStillServing('groq/llama-3.1-8b-instant');
  });
});
