import type { ChatRequest, Plugin, PluginContext, PluginGateway } from '@bifrost/schemas';
import { pluginValueKeys } from '@bifrost/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { readOpenAIFixture } from './testing/openai-fixtures.js';
import { createTestEngine, type TestEngine } from './testing/test-engine.js';

const openai = 'https://api.openai.com';
const path = '/v1/chat/completions';
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

/** A plugin that keeps what its postHook saw in `values`, per request. */
function recorder(): Plugin & { seen: Map<string, unknown>[] } {
  const seen: Map<string, unknown>[] = [];
  return {
    name: 'recorder',
    seen,
    postHook: (context: PluginContext) => void seen.push(new Map(context.values)),
  };
}

async function start(plugins: Plugin[], openaiConfig: Record<string, unknown> = {}) {
  engine = await createTestEngine({
    providers: { openai: { keys: [{ value: 'sk-1' }], ...openaiConfig } },
    plugins,
  });
  return engine;
}

describe('what the engine offers plugins', () => {
  it('calls setup once with the providers and their queue counts', async () => {
    const gateways: PluginGateway[] = [];
    const { bifrost } = await start([{ name: 'observer', setup: (gateway) => void gateways.push(gateway) }]);

    expect(gateways).toHaveLength(1);
    expect(gateways[0]!.providers).toEqual(['openai']);
    expect(gateways[0]!.queueStats()).toEqual({ openai: { inFlight: 0, waiting: 0 } });
    expect(bifrost.plugins.map((plugin) => plugin.name)).toEqual(['observer']);
  });

  it('leaves the retry count in values once the provider has answered', async () => {
    const plugin = recorder();
    const { bifrost, upstream } = await start([plugin], {
      network_config: { max_retries: 1, retry_backoff_initial: 0 },
    });
    upstream.reply(openai, path, 500, { error: { message: 'boom', type: 'server_error' } });
    upstream.reply(openai, path, 200, readOpenAIFixture('chat-completion'));

    await bifrost.chatCompletion(request);

    expect(plugin.seen[0]!.get(pluginValueKeys.retries)).toBe(1);
    expect(plugin.seen[0]!.has(pluginValueKeys.queueWaitMs)).toBe(false);
  });

  it('leaves the queue wait in values for a request that waited for a slot', async () => {
    const plugin = recorder();
    const { bifrost, upstream } = await start([plugin], {
      concurrency_and_buffer_size: { concurrency: 1, buffer_size: 10 },
    });
    const release = upstream.hold(openai, path, 200, readOpenAIFixture('chat-completion'));
    upstream.reply(openai, path, 200, readOpenAIFixture('chat-completion'));

    const first = bifrost.chatCompletion(request);
    const second = bifrost.chatCompletion(request);
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all([first, second]);

    const waits = plugin.seen.map((values) => values.get(pluginValueKeys.queueWaitMs));
    expect(waits).toContain(undefined);
    expect(waits.filter((wait) => typeof wait === 'number' && wait > 0)).toHaveLength(1);
  });

  it('gives a nested call made for a request that request’s own key, and the account’s keys otherwise', async () => {
    let gateway: PluginGateway | undefined;
    const followUp: Plugin = {
      name: 'follow-up',
      setup: (engine) => {
        gateway = engine;
      },
      postHook: async (context) => {
        if (context.requestId.endsWith(':nested')) return;
        await gateway!.chatCompletion!(request, {
          parent: context,
          requestId: `${context.requestId}:nested`,
        });
      },
    };
    const { bifrost, upstream } = await start([followUp]);
    for (let index = 0; index < 4; index++)
      upstream.reply(openai, path, 200, readOpenAIFixture('chat-completion'));

    await bifrost.chatCompletion(request, { key: { value: 'sk-caller', models: [], weight: 1 } });
    await bifrost.chatCompletion(request);

    expect(upstream.requests.map((sent) => sent.headers.authorization)).toEqual([
      'Bearer sk-caller',
      'Bearer sk-caller',
      'Bearer sk-1',
      'Bearer sk-1',
    ]);
  });
});
