import type { ChatRequest, ToolMessage } from '@bifrost/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { type McpPlugin, mcpPlugin } from './mcp-plugin.js';
import { chatAnswer, fakeGateway, toolCall } from './testing/fake-gateway.js';
import { inMemoryMcpServers } from './testing/in-memory-mcp-server.js';

const request: ChatRequest = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'What is 2 + 3?' }],
};
const plugins: McpPlugin[] = [];

async function plugin(client: Record<string, unknown> = {}, config: Record<string, unknown> = {}) {
  const created = await mcpPlugin(
    {
      client_configs: [
        { name: 'memory', connection_type: 'http', connection_string: 'http://127.0.0.1:1/mcp', ...client },
      ],
      ...config,
    },
    { createTransport: inMemoryMcpServers().createTransport },
  );
  plugins.push(created);
  return created;
}

function toolNames(sent: ChatRequest): string[] {
  return (sent.params?.tools ?? []).map((tool) => tool.function.name);
}

afterEach(async () => {
  await Promise.all(plugins.splice(0).map((created) => created.cleanup?.()));
});

describe('mcpPlugin tool injection', () => {
  it('offers the server tools to chat requests in the OpenAI function shape', async () => {
    const gateway = fakeGateway(await plugin(), () => chatAnswer('5'));

    await gateway.send(request);

    expect(gateway.sent[0]!.params!.tools![0]).toEqual({
      type: 'function',
      function: {
        name: 'memory-add',
        description: 'Adds two numbers',
        parameters: {
          type: 'object',
          properties: { a: { type: 'number' }, b: { type: 'number' } },
          required: ['a', 'b'],
        },
      },
    });
    expect(toolNames(gateway.sent[0]!)).toEqual(['memory-add', 'memory-echo', 'memory-wait']);
  });

  it('honours tools_to_execute and tools_to_skip', async () => {
    const gateway = fakeGateway(
      await plugin({ tools_to_execute: ['add', 'echo'], tools_to_skip: ['echo'] }),
      () => chatAnswer('5'),
    );

    await gateway.send(request);

    expect(toolNames(gateway.sent[0]!)).toEqual(['memory-add']);
  });

  it('honours the request filter headers', async () => {
    const created = await plugin();
    created.registerTool('clock', 'The time', { type: 'object' }, () => 'noon');
    const gateway = fakeGateway(created, () => chatAnswer('5'));

    await gateway.send(request, { headers: { 'x-bf-mcp-include-clients': 'local' } });
    await gateway.send(request, { headers: { 'x-bf-mcp-exclude-tools': 'add,memory-wait,clock' } });

    expect(toolNames(gateway.sent[0]!)).toEqual(['clock']);
    expect(toolNames(gateway.sent[1]!)).toEqual(['memory-echo']);
  });

  it('keeps the tools the caller sent', async () => {
    const gateway = fakeGateway(await plugin({ tools_to_execute: ['add'] }), () => chatAnswer('5'));
    const own = { type: 'function' as const, function: { name: 'mine', parameters: { type: 'object' } } };

    await gateway.send({ ...request, params: { tools: [own] } });

    expect(toolNames(gateway.sent[0]!)).toEqual(['mine', 'memory-add']);
  });
});

describe('mcpPlugin agent mode', () => {
  it('runs auto-executable tools and returns the final answer', async () => {
    const gateway = fakeGateway(await plugin({ tools_to_auto_execute: ['add'] }), (sent) =>
      sent.messages.length === 1
        ? chatAnswer([toolCall('call_1', 'memory-add', { a: 2, b: 3 })])
        : chatAnswer('It is 5.'),
    );

    const answer = await gateway.send(request);

    expect(answer.choices[0]!.message.content).toBe('It is 5.');
    expect(gateway.sent).toHaveLength(2);
    expect(gateway.sent[1]!.messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [toolCall('call_1', 'memory-add', { a: 2, b: 3 })] },
      { role: 'tool', content: '5', tool_call_id: 'call_1' },
    ]);
    expect(gateway.requestIds).toEqual(['request-1', 'request-1:mcp-agent-1']);
  });

  it('forces a tool on the first turn only', async () => {
    const gateway = fakeGateway(await plugin({ tools_to_auto_execute: ['add'] }), (sent) =>
      sent.messages.length === 1
        ? chatAnswer([toolCall('call_1', 'memory-add', { a: 2, b: 3 })])
        : chatAnswer('It is 5.'),
    );

    await gateway.send({ ...request, params: { tool_choice: 'required' } });

    expect(gateway.sent[0]!.params!.tool_choice).toBe('required');
    expect(gateway.sent[1]!.params!.tool_choice).toBeUndefined();
  });

  it('returns tool calls that are not auto-executable unchanged', async () => {
    const calls = [
      toolCall('call_1', 'memory-add', { a: 2, b: 3 }),
      toolCall('call_2', 'memory-echo', { message: 'x' }),
    ];
    const gateway = fakeGateway(await plugin({ tools_to_auto_execute: ['add'] }), () => chatAnswer(calls));

    const answer = await gateway.send(request);

    expect(answer.choices[0]!.message.tool_calls).toEqual(calls);
    expect(gateway.sent).toHaveLength(1);
  });

  it('stops after max_agent_depth rounds with the last answer', async () => {
    const gateway = fakeGateway(await plugin({ tools_to_auto_execute: ['*'] }, { max_agent_depth: 2 }), () =>
      chatAnswer([toolCall('call_x', 'memory-echo', { message: 'again' })]),
    );

    const answer = await gateway.send(request);

    expect(gateway.sent).toHaveLength(3);
    expect(answer.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('gives the model a failed tool call as an error result', async () => {
    const gateway = fakeGateway(await plugin({ tools_to_auto_execute: ['add'] }), (sent) =>
      sent.messages.length === 1
        ? chatAnswer([toolCall('call_1', 'memory-add', { a: 'two' })])
        : chatAnswer('Sorry.'),
    );

    await gateway.send(request);

    const result = gateway.sent[1]!.messages[2] as ToolMessage;
    expect(result.role).toBe('tool');
    expect(result.content).toMatch(/^Error: /);
  });

  it('runs a streamed request unstreamed and answers with the final turn', async () => {
    const gateway = fakeGateway(await plugin({ tools_to_auto_execute: ['add'] }), (sent) =>
      sent.messages.length === 1
        ? chatAnswer([toolCall('call_1', 'memory-add', { a: 2, b: 3 })])
        : chatAnswer('It is 5.'),
    );

    const answer = await gateway.send(request, { type: 'chat_completion_stream' });

    expect(answer.choices[0]!.message.content).toBe('It is 5.');
    expect(gateway.requestIds).toEqual(['request-1', 'request-1:mcp-agent-0', 'request-1:mcp-agent-1']);
  });

  it('only offers tools when the gateway cannot call models', async () => {
    const created = await plugin({ tools_to_auto_execute: ['add'] });
    const gateway = fakeGateway(created, () =>
      chatAnswer([toolCall('call_1', 'memory-add', { a: 1, b: 1 })]),
    );
    created.setup!({ providers: ['openai'], queueStats: () => ({}) });

    const answer = await gateway.send(request);

    expect(answer.choices[0]!.finish_reason).toBe('tool_calls');
    expect(gateway.sent).toHaveLength(1);
  });

  it('leaves streams alone when no tool runs by itself', async () => {
    const gateway = fakeGateway(await plugin(), () => chatAnswer('5'));

    await gateway.send(request, { type: 'chat_completion_stream' });

    expect(gateway.requestIds).toEqual(['request-1']);
    expect(toolNames(gateway.sent[0]!)).toHaveLength(3);
  });
});

describe('mcpPlugin routes', () => {
  /** A route whose handler is called as the HTTP transport calls it for a caller on this machine. */
  function route(created: McpPlugin, method: string, path: string) {
    const found = created.httpRoutes!.find(
      (candidate) => candidate.method === method && candidate.path === path,
    )!;
    return { handle: (request: Request) => found.handle(request, { remoteAddress: '127.0.0.1' }) };
  }

  it('executes a tool call', async () => {
    const created = await plugin();
    const response = await route(created, 'POST', '/v1/mcp/tool/execute').handle(
      new Request('http://gateway/v1/mcp/tool/execute', {
        method: 'POST',
        body: JSON.stringify(toolCall('call_9', 'memory-echo', { message: 'hi' })),
      }),
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ role: 'tool', content: 'Echo: hi', tool_call_id: 'call_9' });
  });

  it('answers bad input with a 400 naming the field', async () => {
    const created = await plugin();
    const response = await route(created, 'POST', '/v1/mcp/tool/execute').handle(
      new Request('http://gateway/v1/mcp/tool/execute', { method: 'POST', body: '{not json' }),
    );

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { type: 'invalid_request', message: 'the body is not valid JSON', param: 'body' },
    });
  });

  it('lists the clients with their state and tools, and reconnects one', async () => {
    const created = await plugin({ tools_to_auto_execute: ['add'] });
    const listed = await route(created, 'GET', '/api/mcp/clients').handle(
      new Request('http://gateway/api/mcp/clients'),
    );
    const reconnect = route(created, 'POST', '/api/mcp/clients/:name/reconnect');

    expect(await listed.json()).toEqual([
      {
        name: 'memory',
        connection_type: 'http',
        state: 'connected',
        tools: [
          { name: 'memory-add', server_name: 'add', description: 'Adds two numbers', auto_execute: true },
          {
            name: 'memory-echo',
            server_name: 'echo',
            description: 'Echoes the message',
            auto_execute: false,
          },
          { name: 'memory-wait', server_name: 'wait', description: 'Never answers', auto_execute: false },
        ],
      },
    ]);
    const again = await reconnect.handle(
      new Request('http://gateway/api/mcp/clients/memory/reconnect', { method: 'POST' }),
    );
    expect(await again.json()).toMatchObject({ name: 'memory', state: 'connected' });
    const missing = await reconnect.handle(
      new Request('http://gateway/api/mcp/clients/other/reconnect', { method: 'POST' }),
    );
    expect(missing.status).toBe(404);
  });
});

describe('mcpPlugin routes for a caller on another machine', () => {
  it.each([
    ['POST', '/v1/mcp/tool/execute', 'http://gateway/v1/mcp/tool/execute'],
    ['GET', '/api/mcp/clients', 'http://gateway/api/mcp/clients'],
    ['POST', '/api/mcp/clients/:name/reconnect', 'http://gateway/api/mcp/clients/memory/reconnect'],
  ])('answers %s %s with 403', async (method, path, url) => {
    const created = await plugin();
    const found = created.httpRoutes!.find(
      (candidate) => candidate.method === method && candidate.path === path,
    )!;
    const body =
      method === 'POST' ? JSON.stringify(toolCall('call_1', 'memory-echo', { message: 'hi' })) : null;

    const response = await found.handle(new Request(url, { method, body }), { remoteAddress: '192.0.2.7' });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { type: 'permission_denied' } });
  });
});
