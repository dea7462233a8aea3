import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import { postJson } from './support/post-json.js';
import { readProcessMemory } from './support/process-memory.js';

// Request bodies are buffered whole before they are parsed, so many large bodies at once used to take the
// gateway's memory to gigabytes. A global cap on body bytes being read refuses the excess with 429 and
// Retry-After; the rest are read, and memory goes back down afterwards.

const megabyte = 1024 * 1024;
const bodyMegabytes = 40;
const concurrent = 24;

let upstream: OpenAIUpstream;
let gateway: GatewayProcess;

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
  gateway = await startGateway({
    config: {
      // Above the bodies sent, so that only the in-flight cap (its 256 MB default) can refuse them.
      client: { max_request_body_size_mb: 64 },
      providers: { openai: { keys: [{ value: 'sk-bodies' }], network_config: { base_url: upstream.url } } },
    },
  });
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

/** A chat body of `megabytes` MB for a provider that is not configured, so it is read and parsed, then refused. */
function largeBody(megabytes: number): Buffer {
  const head = '{"model":"groq/llama-3.1-8b-instant","messages":[{"role":"user","content":"hi"}],"padding":"';
  const tail = '"}';
  const body = Buffer.alloc(megabytes * megabyte, 0x61);
  body.write(head, 0);
  body.write(tail, body.length - tail.length);
  return body;
}

/** POSTs `body` with its content-length; resolves with the status and `retry-after` (or the error's code). */
function post(body: Buffer): Promise<{ status: number | string; retryAfter: string | undefined }> {
  return new Promise((resolve) => {
    const outgoing = request(
      `${gateway.url}/v1/chat/completions`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      },
      (incoming) => {
        incoming.resume();
        incoming.on('end', () => {
          resolve({ status: incoming.statusCode!, retryAfter: incoming.headers['retry-after'] as string });
          // A refused body is not read to its end: the gateway drains a little, then closes the connection.
          outgoing.destroy();
        });
      },
    );
    outgoing.on('socket', (socket) => socket.on('error', () => {}));
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: error.code ?? 'error', retryAfter: undefined }),
    );
    outgoing.end(body);
  });
}

describe('many large request bodies at once', () => {
  it('refuses bodies past the in-flight cap with 429 and Retry-After, then gives the memory back', async () => {
    const pid = gateway.process.pid;
    const before = readProcessMemory(pid);
    const body = largeBody(bodyMegabytes);

    const answers = await Promise.all(Array.from({ length: concurrent }, () => post(body)));

    console.info(`statuses: ${answers.map((answer) => answer.status).join(' ')}`);
    const refused = answers.filter((answer) => answer.status === 429);
    const read = answers.filter((answer) => answer.status === 400);
    expect(refused.length + read.length).toBe(concurrent);
    expect(refused.length).toBeGreaterThan(0);
    expect(read.length).toBeGreaterThan(0);
    for (const answer of refused) expect(Number(answer.retryAfter)).toBeGreaterThan(0);

    const after = readProcessMemory(pid);
    if (before && after) {
      // Without the cap all 24 bodies (960 MB) were buffered at once, several times over while parsing.
      expect(after.peakRssMiB - before.rssMiB).toBeLessThan(900);
      let settled = after.rssMiB;
      for (let waited = 0; waited < 10_000 && settled - before.rssMiB > 150; waited += 250) {
        await sleep(250);
        settled = readProcessMemory(pid)!.rssMiB;
      }
      console.info(
        `gateway RSS: ${before.rssMiB} MiB before, peak ${after.peakRssMiB} MiB, ${settled} MiB after the burst`,
      );
      expect(settled - before.rssMiB).toBeLessThan(150);
    }

    const normal = await postJson(`${gateway.url}/v1/chat/completions`, {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(normal.status).toBe(200);
  }, 60_000);
});
