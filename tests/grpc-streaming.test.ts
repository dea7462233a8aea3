import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bifrostClient, type ServiceClient } from './support/grpc-clients.js';
import { type GrpcGatewayProcess, runGrpcGateway, startGrpcGateway } from './support/grpc-gateway-process.js';
import { readOpenAIFixture } from './support/openai-fixtures.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';

type Chunk = { choices: { delta?: { content?: string }; finish_reason?: string }[] };

let upstream: OpenAIUpstream;
let gateway: GrpcGatewayProcess;
let client: ServiceClient;

const config = () => ({
  providers: { openai: { keys: [{ value: 'sk-stream' }], network_config: { base_url: upstream.url } } },
});
const hello = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] };

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
  gateway = await startGrpcGateway({ config: config() });
  client = bifrostClient(gateway.address);
});
afterEach(() => upstream.reset());
afterAll(async () => {
  client?.close();
  await gateway?.stop();
  await upstream?.close();
});

/** Reads a server stream to its end, or to its error. */
function readAll(call: ClientReadableStream<Chunk>): Promise<{ chunks: Chunk[]; error?: ServiceError }> {
  const chunks: Chunk[] = [];
  return new Promise((resolve) => {
    call.on('data', (chunk: Chunk) => chunks.push(chunk));
    call.on('end', () => resolve({ chunks }));
    call.on('error', (error: ServiceError) => resolve({ chunks, error }));
  });
}

const content = (chunks: Chunk[]) => chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '');

describe('ChatCompletionStream', () => {
  it("relays the provider's chunks in order", async () => {
    const upstreamChunks = readOpenAIFixture<Chunk[]>('chat-stream-chunks');
    upstream.enqueue({ kind: 'sse', chunks: upstreamChunks });

    const { chunks, error } = await readAll(
      client.serverStream<Chunk>('ChatCompletionStream', { ...hello, params: { n: 1 } }),
    );

    expect(error).toBeUndefined();
    expect(upstream.requests[0]!.body).toMatchObject({ model: 'gpt-4o-mini', stream: true, n: 1 });
    expect(chunks).toHaveLength(upstreamChunks.length);
    expect(content(chunks)).toEqual(content(upstreamChunks));
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
  });

  it('aborts the upstream request when the client cancels mid-stream', async () => {
    const piece = readOpenAIFixture<Chunk[]>('chat-stream-chunks')[1]!;
    upstream.enqueue({ kind: 'sse', chunks: Array.from({ length: 200 }, () => piece), intervalMs: 20 });

    const call = client.serverStream<Chunk>('ChatCompletionStream', hello);
    const read = readAll(call);
    await new Promise((resolve) => call.once('data', resolve));
    call.cancel();

    const { error } = await read;
    expect(error?.code).toBe(status.CANCELLED);
    await vi.waitFor(() => expect(upstream.abortedCount()).toBe(1), { timeout: 5_000 });
  });

  it('answers INVALID_ARGUMENT for a stream request without messages', async () => {
    const { error } = await readAll(
      client.serverStream<Chunk>('ChatCompletionStream', { model: 'openai/gpt-4o-mini' }),
    );
    expect(error?.code).toBe(status.INVALID_ARGUMENT);
    expect(error?.details).toMatch(/^messages: /);
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('deadlines', () => {
  it('answers DEADLINE_EXCEEDED and aborts the upstream request when the deadline passes first', async () => {
    upstream.enqueue({ kind: 'hang' });
    const error = await client
      .unary('ChatCompletion', hello, {
        deadline: new Date(Date.now() + 2_000),
      })
      .then(
        () => undefined,
        (caught: ServiceError) => caught,
      );
    expect(error?.code).toBe(status.DEADLINE_EXCEEDED);
    expect(upstream.requests).toHaveLength(1);
    await vi.waitFor(() => expect(upstream.abortedCount()).toBe(1), { timeout: 5_000 });
  });
});

describe('the process', () => {
  it('exits 0 on SIGTERM', async () => {
    const own = await startGrpcGateway({ config: config() });
    expect(await own.stop('SIGTERM')).toBe(0);
  });

  it('exits 2 naming a bad flag', async () => {
    const run = await runGrpcGateway({ args: ['-bogus'] });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bifrost-grpc: unknown flag -bogus');
  });

  it('exits 1 naming a port already taken', async () => {
    const port = gateway.address.split(':').at(-1)!;
    const run = await runGrpcGateway({ config: config(), args: ['-port', port, '-host', '127.0.0.1'] });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`bifrost-grpc: cannot listen on 127.0.0.1:${port}`);
  });
});
