import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { callsToolThenAnswers, messagesOf, toolNamesOf } from './support/mcp-model-replies.js';
import { type EverythingHttpServer, startEverythingHttpServer } from './support/mcp-servers.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import { getJson, postJson } from './support/post-json.js';

// The reference server over streamable HTTP and SSE, configured as the `mcp` plugin entry's own config.
let upstream: OpenAIUpstream;
let gateway: GatewayProcess;
let streamable: EverythingHttpServer;
let sse: EverythingHttpServer;

beforeAll(async () => {
  [upstream, streamable, sse] = await Promise.all([
    startOpenAIUpstream(),
    startEverythingHttpServer('streamableHttp'),
    startEverythingHttpServer('sse'),
  ]);
  gateway = await startGateway({
    config: {
      providers: {
        openai: { keys: [{ value: 'sk-mcp' }], network_config: { base_url: upstream.url, max_retries: 0 } },
      },
      plugins: [
        {
          name: 'mcp',
          config: {
            client_configs: [
              {
                name: 'remote',
                connection_type: 'http',
                connection_string: streamable.url,
                tools_to_execute: ['echo', 'get-sum'],
                tools_to_auto_execute: ['get-sum'],
              },
              {
                name: 'legacy',
                connection_type: 'sse',
                connection_string: sse.url,
                tools_to_execute: ['echo'],
              },
            ],
          },
        },
      ],
    },
    timeoutMs: 45_000,
  });
}, 60_000);
afterEach(() => upstream.reset());
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([upstream?.close(), streamable?.kill(), sse?.kill()]);
});

function execute(name: string, args: unknown) {
  return postJson(`${gateway.url}/v1/mcp/tool/execute`, {
    id: 'call_http',
    type: 'function',
    function: { name, arguments: JSON.stringify(args) },
  });
}

async function stateOf(name: string): Promise<string> {
  const clients = await getJson(`${gateway.url}/api/mcp/clients`);
  return clients.body.find((client: { name: string }) => client.name === name).state;
}

describe('MCP servers over HTTP', () => {
  it('connects to both servers at start-up', async () => {
    // Start-up waits a bounded time for servers; on a busy machine one may still be connecting.
    await expect
      .poll(() => Promise.all([stateOf('remote'), stateOf('legacy')]), { timeout: 20_000 })
      .toEqual(['connected', 'connected']);
  });

  it('offers the tools of both servers to the model', async () => {
    const answer = await postJson(`${gateway.url}/v1/chat/completions`, {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello' }],
      tools: [{ type: 'function', function: { name: 'caller_tool', parameters: { type: 'object' } } }],
    });

    expect(answer.status).toBe(200);
    expect(toolNamesOf(upstream.requests[0]!)).toEqual([
      'caller_tool',
      'remote-echo',
      'remote-get-sum',
      'legacy-echo',
    ]);
  });

  it('executes a tool call on each server', async () => {
    const remote = await execute('remote-echo', { message: 'over streamable HTTP' });
    const legacy = await execute('legacy-echo', { message: 'over SSE' });

    expect(remote.body).toEqual({
      role: 'tool',
      content: 'Echo: over streamable HTTP',
      tool_call_id: 'call_http',
    });
    expect(legacy.body).toEqual({ role: 'tool', content: 'Echo: over SSE', tool_call_id: 'call_http' });
  });

  it('runs the agent loop against the HTTP server', async () => {
    upstream.setHandler(callsToolThenAnswers('remote-get-sum', { a: 40, b: 2 }));

    const answer = await postJson(`${gateway.url}/v1/chat/completions`, {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'What is 40 + 2?' }],
    });

    expect(answer.body.choices[0].message.content).toBe('The tool said: The sum of 40 and 2 is 42.');
    expect(messagesOf(upstream.requests[1]!).at(-1)).toEqual({
      role: 'tool',
      content: 'The sum of 40 and 2 is 42.',
      tool_call_id: 'call_1',
    });
  });

  it('reconnects once a killed HTTP server is back', { timeout: 60_000 }, async () => {
    await streamable.kill();
    await expect
      .poll(async () => (await execute('remote-echo', { message: 'down' })).status, { timeout: 10_000 })
      .toBe(503);

    await streamable.restart();

    await expect
      .poll(async () => (await execute('remote-echo', { message: 'back' })).body.content, { timeout: 40_000 })
      .toBe('Echo: back');
    expect(await stateOf('remote')).toBe('connected');
    expect(await stateOf('legacy')).toBe('connected');
  });

  it('reconnects a client on request', async () => {
    const reconnected = await postJson(`${gateway.url}/api/mcp/clients/legacy/reconnect`, {});
    const missing = await postJson(`${gateway.url}/api/mcp/clients/nobody/reconnect`, {});

    expect(reconnected.status).toBe(200);
    expect(reconnected.body).toMatchObject({ name: 'legacy', state: 'connected' });
    expect(missing.status).toBe(404);
    expect((await execute('legacy-echo', { message: 'again' })).body.content).toBe('Echo: again');
  });
});
