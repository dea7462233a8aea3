import type { ChatRequest, Plugin, PluginContext, PluginGateway } from '@bifrost/schemas';
import { pluginValueKeys } from '@bifrost/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { readOpenAIFixture } from './testing/openai-fixtures.js';
import { rejection } from './testing/rejection.js';
import { createTestEngine, type TestEngine } from './testing/test-engine.js';

const openai = 'https://api.openai.com';
const request: ChatRequest = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hello!' }],
};

let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.bifrost.shutdown();
  engine = undefined;
});

async function start(plugins: Plugin[]): Promise<TestEngine> {
  engine = await createTestEngine({
    providers: {
      openai: {
        keys: [
          { id: 'first', value: 'sk-first', models: [], weight: 1 },
          { id: 'second', name: 'backup', value: 'sk-second', models: [], weight: 1 },
        ],
      },
    },
    plugins,
  });
  return engine;
}

describe('the engine seams governance stands on', () => {
  it('hands a plugin the virtual key through the gateway, never on the context', async () => {
    let gateway: PluginGateway | undefined;
    const seen: Array<{ key: string | undefined; context: PluginContext }> = [];
    const watcher: Plugin = {
      name: 'watcher',
      setup: (given) => {
        gateway = given;
      },
      preHook: (context) => void seen.push({ key: gateway?.virtualKeyOf?.(context), context }),
    };
    const { bifrost, upstream } = await start([watcher]);
    upstream.reply(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    await bifrost.chatCompletion(request, { virtualKey: 'sk-bf-secret' });
    expect(seen[0]?.key).toBe('sk-bf-secret');
    expect(JSON.stringify(seen[0]?.context)).not.toContain('sk-bf-secret');
  });

  it('gives a nested call the virtual key of the request it serves', async () => {
    let gateway: PluginGateway | undefined;
    const keys: Array<string | undefined> = [];
    const agent: Plugin = {
      name: 'agent',
      setup: (given) => {
        gateway = given;
      },
      preHook: async (context) => {
        keys.push(gateway?.virtualKeyOf?.(context));
        if (context.requestId !== 'nested') {
          await gateway?.chatCompletion?.(request, { parent: context, requestId: 'nested' });
        }
      },
    };
    const { bifrost, upstream } = await start([agent]);
    upstream.reply(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    upstream.reply(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    await bifrost.chatCompletion(request, { virtualKey: 'sk-bf-outer' });
    expect(keys).toEqual(['sk-bf-outer', 'sk-bf-outer']);
  });

  it('uses only the provider keys a plugin pinned, by id or by name', async () => {
    const pin = (ids: string[]): Plugin => ({
      name: 'pin',
      preHook: (context) => void context.values.set(pluginValueKeys.allowedKeyIds, ids),
    });
    const { bifrost, upstream } = await start([pin(['backup'])]);
    upstream.reply(openai, '/v1/chat/completions', 200, readOpenAIFixture('chat-completion'));
    await bifrost.chatCompletion(request);
    expect(upstream.requests[0]?.headers.authorization).toBe('Bearer sk-second');
  });

  it('refuses with no_key_available when no pinned key exists', async () => {
    const pin: Plugin = {
      name: 'pin',
      preHook: (context) => void context.values.set(pluginValueKeys.allowedKeyIds, ['missing']),
    };
    const { bifrost } = await start([pin]);
    const error = await rejection(bifrost.chatCompletion(request));
    expect(error).toMatchObject({ code: 'no_key_available' });
  });

  it('carries a refusal’s decision type and headers to the caller', async () => {
    const refuse: Plugin = {
      name: 'refuse',
      preHook: () => ({
        shortCircuit: {
          error: {
            type: 'budget_exceeded',
            is_bifrost_error: false,
            status_code: 402,
            error: { message: 'Budget exceeded: 1.5 >= 1.0 dollars' },
            extra_fields: { error_code: 'budget_exceeded' },
            allow_fallbacks: false,
          },
          headers: { 'retry-after': '60' },
        },
      }),
    };
    const { bifrost, upstream } = await start([refuse]);
    const error = await rejection(bifrost.chatCompletion(request));
    expect(error).toMatchObject({
      code: 'budget_exceeded',
      statusCode: 402,
      decision: 'budget_exceeded',
      headers: { 'retry-after': '60' },
    });
    expect(error.toBifrostError().type).toBe('budget_exceeded');
    expect(upstream.requests).toEqual([]);
  });

  it('routes a model that names no provider through the first plugin that answers', async () => {
    const silent: Plugin = { name: 'silent', routeModel: () => undefined };
    const router: Plugin = {
      name: 'router',
      routeModel: (model, input) =>
        input.virtualKey === 'sk-bf-team'
          ? [
              { provider: 'azure', model },
              { provider: 'openai', model },
            ]
          : undefined,
    };
    const { bifrost } = await start([silent, router]);
    const input = { virtualKey: 'sk-bf-team', requestType: 'chat_completion' as const };
    expect(bifrost.routeModel('gpt-4o', input)).toEqual([
      { provider: 'azure', model: 'gpt-4o' },
      { provider: 'openai', model: 'gpt-4o' },
    ]);
    expect(bifrost.routeModel('gpt-4o', { ...input, virtualKey: undefined })).toBeUndefined();
  });
});
