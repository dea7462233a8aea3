import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatRequest, ChatStreamChunk } from '@bifrost/schemas';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type MaximPluginContext, maximPlugin } from './maxim-plugin.js';
import { MaximApiStandIn, type MaximLogLine } from './testing/maxim-api-stand-in.js';
import {
  createTestGateway,
  readFixture,
  recordingLogger,
  replyChat,
  replyChatStream,
  type TestGateway,
} from './testing/test-gateway.js';

const request: ChatRequest = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Hello!' },
  ],
  params: { temperature: 0.2, max_tokens: 50 },
};
const answer = 'Hello! How can I assist you today?';

let standIn: MaximApiStandIn;
let gateway: TestGateway | undefined;
let sdkTemporaryDirectory: string;
// The SDK warns when two clients share an API key, so every test gets its own.
let apiKeys = 0;

beforeEach(async () => {
  // The SDK keeps logs it could not send in files under the temporary directory; keep those out of the real one.
  sdkTemporaryDirectory = mkdtempSync(join(tmpdir(), 'bifrost-maxim-test-'));
  vi.stubEnv('TMPDIR', sdkTemporaryDirectory);
  standIn = await new MaximApiStandIn().start();
});

afterEach(async () => {
  await gateway?.bifrost.shutdown();
  gateway = undefined;
  await standIn.close();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(sdkTemporaryDirectory, { recursive: true, force: true });
});

async function start(context: MaximPluginContext = {}) {
  const logger = recordingLogger();
  let ids = 0;
  const plugin = maximPlugin(
    { api_key: `maxim-key-${++apiKeys}`, log_repo_id: 'repo-main', base_url: standIn.url },
    { logger, env: {}, generateId: () => `generated-${++ids}`, ...context },
  );
  gateway = await createTestGateway([plugin]);
  return { ...gateway, logger, apiKey: `maxim-key-${apiKeys}` };
}

function find(entity: string, action: string): MaximLogLine[] {
  return standIn.lines.filter((line) => line.entity === entity && line.action === action);
}

/** The SDK reports failed pushes on the console; these tests expect them. */
function silenceSdkConsole(): void {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
}

describe('maximPlugin', () => {
  it('logs a chat completion as a trace with a generation, its result and usage', async () => {
    const { bifrost, upstream, apiKey } = await start();
    replyChat(upstream, 200, readFixture('chat-completion'));
    const response = await bifrost.chatCompletion(request, {
      requestId: 'request-1',
      headers: {
        'x-bf-maxim-trace-name': 'support-bot',
        'x-bf-maxim-generation-name': 'greeting',
        'x-bf-maxim-session-id': 'session-9',
        'x-bf-maxim-environment': 'staging',
        'x-bf-maxim-customer': 'acme',
      },
    });
    expect(response.choices[0]!.message.content).toBe(answer);
    await bifrost.shutdown();

    expect(standIn.batches.map((batch) => [batch.repositoryId, batch.apiKey])).toEqual([
      ['repo-main', apiKey],
    ]);
    expect(find('trace', 'create')).toEqual([
      {
        entity: 'trace',
        id: 'request-1',
        action: 'create',
        data: expect.objectContaining({
          name: 'support-bot',
          sessionId: 'session-9',
          tags: { environment: 'staging', customer: 'acme' },
        }),
      },
    ]);
    expect(find('trace', 'add-generation')).toEqual([
      {
        entity: 'trace',
        id: 'request-1',
        action: 'add-generation',
        data: expect.objectContaining({
          id: 'generated-1',
          name: 'greeting',
          provider: 'openai',
          model: 'gpt-4o-mini',
          messages: request.messages,
          modelParameters: { temperature: 0.2, max_tokens: 50 },
        }),
      },
    ]);
    const [result] = find('generation', 'result');
    expect(result).toMatchObject({
      id: 'generated-1',
      data: {
        result: {
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 },
        },
      },
    });
    expect(find('trace', 'update').map((line) => line.data)).toEqual([
      { input: 'Hello!' },
      { output: answer },
    ]);
  });

  it('stamps the generation with its start and end, so Maxim shows its latency', async () => {
    const { bifrost, upstream } = await start();
    replyChat(upstream, 200, readFixture('chat-completion'));
    await bifrost.chatCompletion(request);
    await bifrost.shutdown();

    const startedAt = find('trace', 'add-generation')[0]!.data.startTimestamp as string;
    const endedAt = find('generation', 'end')[0]!.data.endTimestamp as string;
    expect(Date.parse(endedAt)).toBeGreaterThanOrEqual(Date.parse(startedAt));
    expect(find('trace', 'end')).toHaveLength(1);
  });

  it('adds its generation to the trace and generation named by headers without creating the trace', async () => {
    const { bifrost, upstream } = await start();
    replyChat(upstream, 200, readFixture('chat-completion'));
    await bifrost.chatCompletion(request, {
      headers: {
        'x-bf-maxim-trace-id': 'trace-from-caller',
        'x-bf-maxim-generation-id': 'generation-from-caller',
        'x-bf-maxim-user': 'user-7',
      },
    });
    await bifrost.shutdown();

    expect(find('trace', 'create')).toEqual([]);
    expect(find('trace', 'end')).toEqual([]);
    expect(find('trace', 'add-generation')).toMatchObject([
      { id: 'trace-from-caller', data: { id: 'generation-from-caller' } },
    ]);
    expect(find('trace', 'update')).toMatchObject([
      { id: 'trace-from-caller', data: { tags: { user: 'user-7' } } },
    ]);
    expect(find('generation', 'result')).toMatchObject([{ id: 'generation-from-caller' }]);
  });

  it('replaces an id header Maxim would refuse and says so', async () => {
    const { bifrost, upstream, logger } = await start();
    replyChat(upstream, 200, readFixture('chat-completion'));
    await bifrost.chatCompletion(request, {
      requestId: 'request-4',
      headers: { 'x-bf-maxim-trace-id': 'a b' },
    });
    await bifrost.shutdown();

    expect(find('trace', 'create')).toMatchObject([{ id: 'request-4' }]);
    expect(logger.lines).toContainEqual({
      level: 'warn',
      message: 'ignoring an invalid x-bf-maxim-trace-id',
      fields: { value: 'a b' },
    });
  });

  it('sends to the log repository a request names', async () => {
    const { bifrost, upstream } = await start();
    replyChat(upstream, 200, readFixture('chat-completion'));
    await bifrost.chatCompletion(request, { headers: { 'x-bf-maxim-log-repo-id': 'repo-other' } });
    await bifrost.shutdown();

    expect(standIn.batches.map((batch) => batch.repositoryId)).toEqual(['repo-other']);
  });

  it('records the error of a failed request', async () => {
    const { bifrost, upstream } = await start();
    replyChat(upstream, 400, readFixture('error-400-missing-parameter'));
    await expect(bifrost.chatCompletion(request, { requestId: 'request-2' })).rejects.toThrow();
    await bifrost.shutdown();

    expect(find('generation', 'result')).toMatchObject([
      {
        id: 'generated-1',
        data: {
          result: {
            error: { message: "Missing required parameter: 'messages'.", type: 'invalid_request_error' },
          },
        },
      },
    ]);
    expect(find('trace', 'update').map((line) => line.data)).toEqual([{ input: 'Hello!' }]);
  });

  it('logs one trace with a generation per attempt when a fallback answers', async () => {
    const { bifrost, upstream } = await start();
    replyChat(upstream, 500, readFixture('error-500-server-error'));
    replyChat(upstream, 200, readFixture('chat-completion'));
    await bifrost.chatCompletion(
      { ...request, fallbacks: [{ provider: 'openai', model: 'gpt-4.1' }] },
      { requestId: 'request-3', headers: { 'x-bf-maxim-generation-id': 'answer' } },
    );
    await bifrost.shutdown();

    expect(find('trace', 'create')).toHaveLength(1);
    expect(find('trace', 'add-generation')).toMatchObject([
      { id: 'request-3', data: { id: 'answer', model: 'gpt-4o-mini' } },
      { id: 'request-3', data: { id: 'answer-fallback-1', model: 'gpt-4.1' } },
    ]);
    expect(find('generation', 'result')).toMatchObject([
      { id: 'answer', data: { result: { error: { type: 'server_error' } } } },
      { id: 'answer-fallback-1', data: { result: { choices: [{ message: { content: answer } }] } } },
    ]);
  });

  it('logs a stream once, at its end, with the joined content and usage', async () => {
    const { bifrost, upstream } = await start();
    replyChatStream(upstream, readFixture<ChatStreamChunk[]>('chat-stream-usage-chunks'));
    const stream = await bifrost.chatCompletionStream({
      ...request,
      params: { stream_options: { include_usage: true } },
    });
    for await (const _chunk of stream);
    await bifrost.shutdown();

    expect(find('trace', 'create')).toMatchObject([{ data: { name: 'chat_completion_stream' } }]);
    expect(find('trace', 'add-generation')).toHaveLength(1);
    expect(find('generation', 'result')).toMatchObject([
      {
        data: {
          result: {
            choices: [{ message: { content: answer }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 },
          },
        },
      },
    ]);
  });

  it('holds logs until cleanup flushes them', async () => {
    const { bifrost, upstream } = await start();
    replyChat(upstream, 200, readFixture('chat-completion'));
    await bifrost.chatCompletion(request);
    // The SDK sends batches every 10 seconds; this test is done long before.
    expect(standIn.batches).toEqual([]);
    await bifrost.shutdown();
    expect(find('generation', 'result')).toHaveLength(1);
  });

  it('answers the request when Maxim refuses the logs', async () => {
    silenceSdkConsole();
    const { bifrost, upstream } = await start();
    standIn.failWith(500);
    replyChat(upstream, 200, readFixture('chat-completion'));
    const response = await bifrost.chatCompletion(request);
    expect(response.choices[0]!.message.content).toBe(answer);
    await bifrost.shutdown();

    expect(standIn.pushAttempts).toBeGreaterThan(0);
    expect(standIn.batches).toEqual([]);
  });

  it('answers the request when Maxim is down, and stops waiting for it at shutdown', async () => {
    silenceSdkConsole();
    await standIn.close();
    const { bifrost, upstream, logger } = await start({ flushTimeoutMs: 50 });
    replyChat(upstream, 200, readFixture('chat-completion'));
    const response = await bifrost.chatCompletion(request);
    expect(response.choices[0]!.message.content).toBe(answer);
    await bifrost.shutdown();

    expect(logger.lines).toContainEqual({
      level: 'warn',
      message: 'gave up flushing logs to Maxim at shutdown',
    });
  });
});
