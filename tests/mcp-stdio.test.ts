import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { callsToolThenAnswers, messagesOf, toolNamesOf } from './support/mcp-model-replies.js';
import { childProcessIds, everythingServer, filesystemServer } from './support/mcp-servers.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import { getJson, postJson } from './support/post-json.js';

// The reference servers over stdio, configured under the top-level `mcp` key, which loads the plugin by itself.
let upstream: OpenAIUpstream;
let gateway: GatewayProcess;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'bifrost-mcp-files-'));
  await writeFile(join(folder, 'notes.txt'), 'the answer is 42\n');
  upstream = await startOpenAIUpstream();
  gateway = await startGateway({
    config: {
      providers: {
        openai: { keys: [{ value: 'sk-mcp' }], network_config: { base_url: upstream.url, max_retries: 0 } },
      },
      mcp: {
        client_configs: [
          {
            name: 'everything',
            connection_type: 'stdio',
            stdio_config: { command: process.execPath, args: [everythingServer, 'stdio'] },
            tools_to_execute: ['echo', 'get-sum', 'trigger-long-running-operation'],
            tools_to_auto_execute: ['get-sum'],
          },
          {
            name: 'files',
            connection_type: 'stdio',
            stdio_config: { command: process.execPath, args: [filesystemServer, folder] },
            tools_to_auto_execute: ['read_text_file'],
          },
        ],
        tool_execution_timeout: 2,
      },
    },
    timeoutMs: 45_000,
  });
}, 60_000);
afterEach(() => upstream.reset());
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

function chat(extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return postJson(
    `${gateway.url}/v1/chat/completions`,
    { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'What is 2 + 3?' }], ...extra },
    { headers },
  );
}

function execute(name: string, args: unknown) {
  return postJson(`${gateway.url}/v1/mcp/tool/execute`, {
    id: 'call_7',
    type: 'function',
    function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
  });
}

describe('MCP servers over stdio', () => {
  it('connects to both servers at start-up', async () => {
    const states = async () => {
      const listed = await getJson(`${gateway.url}/api/mcp/clients`);
      return listed.body.map((client: { name: string; state: string }) => [client.name, client.state]);
    };
    // Start-up waits a bounded time for servers; on a busy machine one may still be connecting.
    await expect.poll(states, { timeout: 20_000 }).toEqual([
      ['everything', 'connected'],
      ['files', 'connected'],
    ]);
    const clients = await getJson(`${gateway.url}/api/mcp/clients`);
    expect(clients.body[0].tools.map((tool: { name: string }) => tool.name)).toEqual([
      'everything-echo',
      'everything-get-sum',
      'everything-trigger-long-running-operation',
    ]);
    expect(clients.body[1].tools.map((tool: { name: string }) => tool.name)).toContain(
      'files-read_text_file',
    );
  });

  it('offers the permitted tools to the model', async () => {
    const answer = await chat();

    expect(answer.status).toBe(200);
    const names = toolNamesOf(upstream.requests[0]!);
    expect(names).toEqual(
      expect.arrayContaining(['everything-get-sum', 'files-read_text_file', 'files-list_directory']),
    );
    const sum = (upstream.requests[0]!.body as { tools: unknown[] }).tools.find(
      (tool) => (tool as { function: { name: string } }).function.name === 'everything-get-sum',
    );
    expect(sum).toEqual({
      type: 'function',
      function: {
        name: 'everything-get-sum',
        description: 'Returns the sum of two numbers',
        parameters: expect.objectContaining({
          type: 'object',
          properties: {
            a: { type: 'number', description: 'First number' },
            b: { type: 'number', description: 'Second number' },
          },
          required: ['a', 'b'],
        }),
      },
    });
  });

  it('offers only the clients and tools the request headers allow', async () => {
    await chat({}, { 'x-bf-mcp-include-clients': 'everything', 'x-bf-mcp-exclude-tools': 'echo' });

    expect(toolNamesOf(upstream.requests[0]!)).toEqual([
      'everything-get-sum',
      'everything-trigger-long-running-operation',
    ]);
  });

  it('executes a tool call through the endpoint', async () => {
    const sum = await execute('everything-get-sum', { a: 2, b: 3 });
    const file = await execute('files-read_text_file', { path: join(folder, 'notes.txt') });

    expect(sum.status).toBe(200);
    expect(sum.body).toEqual({ role: 'tool', content: 'The sum of 2 and 3 is 5.', tool_call_id: 'call_7' });
    expect(file.body).toEqual({ role: 'tool', content: 'the answer is 42\n', tool_call_id: 'call_7' });
  });

  it('answers an unknown tool and bad arguments with a 400 naming the field', async () => {
    const unknown = await execute('everything-nope', {});
    const badJson = await execute('everything-get-sum', '{"a": 2,');

    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toEqual({
      type: 'invalid_request',
      message: 'unknown tool "everything-nope"',
      param: 'function.name',
    });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.param).toBe('function.arguments');
    expect(badJson.body.error.message).toMatch(/^function\.arguments is not valid JSON/);
  });

  it('cuts a tool that runs past tool_execution_timeout', async () => {
    const slow = await execute('everything-trigger-long-running-operation', { duration: 60, steps: 60 });

    expect(slow.status).toBe(504);
    expect(slow.body.error).toMatchObject({
      type: 'timeout',
      message: 'tool "everything-trigger-long-running-operation" did not finish within 2s',
    });
  });

  it('runs auto-executable tools in a loop and returns the final answer', async () => {
    upstream.setHandler(callsToolThenAnswers('everything-get-sum', { a: 2, b: 3 }));

    const answer = await chat();

    expect(answer.status).toBe(200);
    expect(answer.body.choices[0].message.content).toBe('The tool said: The sum of 2 and 3 is 5.');
    expect(upstream.requests).toHaveLength(2);
    expect(messagesOf(upstream.requests[1]!).slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'everything-get-sum', arguments: '{"a":2,"b":3}' },
          },
        ],
      },
      { role: 'tool', content: 'The sum of 2 and 3 is 5.', tool_call_id: 'call_1' },
    ]);
  });

  it('runs the agent loop for a streamed request and streams the final answer', async () => {
    upstream.setHandler(callsToolThenAnswers('files-read_text_file', { path: join(folder, 'notes.txt') }));
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });

    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'What do my notes say?' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';

    expect(text).toBe('The tool said: the answer is 42\n');
    expect(upstream.requests).toHaveLength(2);
    expect(upstream.requests.map((request) => (request.body as { stream?: boolean }).stream)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('returns tool calls that are not auto-executable to the caller', async () => {
    upstream.setHandler(callsToolThenAnswers('everything-echo', { message: 'hi' }));

    const answer = await chat();

    expect(answer.body.choices[0].finish_reason).toBe('tool_calls');
    expect(answer.body.choices[0].message.tool_calls[0].function.name).toBe('everything-echo');
    expect(upstream.requests).toHaveLength(1);
  });

  it('restarts a stdio server killed mid-session', { timeout: 45_000 }, async () => {
    const [first] = await childProcessIds(gateway.process.pid!, everythingServer);
    expect(first).toBeDefined();

    process.kill(first!, 'SIGKILL');

    await expect
      .poll(
        async () =>
          (await childProcessIds(gateway.process.pid!, everythingServer)).filter((pid) => pid !== first),
        {
          timeout: 15_000,
        },
      )
      .toHaveLength(1);
    await expect
      .poll(async () => (await execute('everything-get-sum', { a: 1, b: 1 })).body.content, {
        timeout: 15_000,
      })
      .toBe('The sum of 1 and 1 is 2.');
  });

  it('ends its stdio servers when the gateway shuts down', async () => {
    const servers = [
      ...(await childProcessIds(gateway.process.pid!, everythingServer)),
      ...(await childProcessIds(gateway.process.pid!, filesystemServer)),
    ];
    expect(servers).toHaveLength(2);

    expect(await gateway.stop()).toBe(0);

    await expect.poll(() => servers.filter(isRunning), { timeout: 10_000 }).toEqual([]);
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
