import type { BifrostError, ChatRequest, ChatResponse, Plugin, PluginContext } from '@bifrost/schemas';
import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../testing/recording-logger.js';
import { PluginPipeline } from './plugin-pipeline.js';

const context: PluginContext = {
  requestId: 'request-1',
  requestType: 'chat_completion',
  provider: 'openai',
  model: 'gpt-4o-mini',
  fallbackIndex: 0,
  headers: {},
  values: new Map(),
  signal: new AbortController().signal,
  startedAt: 0,
};

const request: ChatRequest = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'hi' }],
};

const response = (id: string): ChatResponse => ({
  id,
  object: 'chat.completion',
  created: 0,
  model: 'gpt-4o-mini',
  choices: [],
  extra_fields: { provider: 'openai', model: 'gpt-4o-mini', latency: 0 },
});

const error = (message: string, extra: Partial<BifrostError> = {}): BifrostError => ({
  is_bifrost_error: true,
  error: { message },
  ...extra,
});

/** A plugin that writes `<name>.pre` and `<name>.post` into `calls`. */
function tracing(name: string, calls: string[], overrides: Partial<Plugin> = {}): Plugin {
  return {
    name,
    preHook: () => {
      calls.push(`${name}.pre`);
    },
    postHook: () => {
      calls.push(`${name}.post`);
    },
    ...overrides,
  };
}

describe('PluginPipeline', () => {
  it('runs preHooks in order and postHooks in reverse', async () => {
    const calls: string[] = [];
    const pipeline = new PluginPipeline(
      [tracing('a', calls), tracing('b', calls), tracing('c', calls)],
      recordingLogger(),
    );
    const pre = await pipeline.runPreHooks(context, request);
    await pipeline.runPostHooks(context, pre.ran, { response: response('r') });
    expect(calls).toEqual(['a.pre', 'b.pre', 'c.pre', 'c.post', 'b.post', 'a.post']);
    expect(pre).toEqual({ request, shortCircuit: undefined, ran: 3 });
  });

  it('hands each preHook the request the one before returned', async () => {
    const seen: string[] = [];
    const rewrite: Plugin = {
      name: 'rewrite',
      preHook: () => ({ request: { ...request, model: 'gpt-4o' } }),
    };
    const observe: Plugin = {
      name: 'observe',
      preHook: (_context, current) => {
        seen.push(current.model);
      },
    };
    const pre = await new PluginPipeline([rewrite, observe], recordingLogger()).runPreHooks(context, request);
    expect(seen).toEqual(['gpt-4o']);
    expect(pre.request.model).toBe('gpt-4o');
  });

  it('stops at a short-circuit with a response and runs postHooks only for the plugins that ran', async () => {
    const calls: string[] = [];
    const answer = response('cached');
    const pipeline = new PluginPipeline(
      [
        tracing('a', calls),
        tracing('cache', calls, { preHook: () => ({ shortCircuit: { response: answer } }) }),
        tracing('c', calls),
      ],
      recordingLogger(),
    );
    const pre = await pipeline.runPreHooks(context, request);
    expect(pre.shortCircuit).toEqual({ response: answer });
    expect(pre.ran).toBe(2);
    const outcome = await pipeline.runPostHooks(context, pre.ran, pre.shortCircuit!);
    expect(outcome).toEqual({ response: answer });
    expect(calls).toEqual(['a.pre', 'cache.post', 'a.post']);
  });

  it('stops at a short-circuit with an error', async () => {
    const refusal = error('over budget', { allow_fallbacks: false, status_code: 429 });
    const pipeline = new PluginPipeline(
      [
        { name: 'governance', preHook: () => ({ shortCircuit: { error: refusal } }) },
        {
          name: 'never',
          preHook: () => {
            throw new Error('must not run');
          },
        },
      ],
      recordingLogger(),
    );
    const pre = await pipeline.runPreHooks(context, request);
    expect(pre).toEqual({ request, shortCircuit: { error: refusal }, ran: 1 });
  });

  it('logs a throwing hook and goes on as if it were absent', async () => {
    const calls: string[] = [];
    const logger = recordingLogger();
    const broken: Plugin = {
      name: 'broken',
      preHook: async () => {
        throw new Error('pre exploded');
      },
      postHook: () => {
        throw new Error('post exploded');
      },
    };
    const pipeline = new PluginPipeline([tracing('a', calls), broken, tracing('c', calls)], logger);
    const pre = await pipeline.runPreHooks(context, request);
    expect(pre.ran).toBe(3);
    const outcome = await pipeline.runPostHooks(context, pre.ran, { response: response('r') });
    expect(outcome).toEqual({ response: response('r') });
    expect(calls).toEqual(['a.pre', 'c.pre', 'c.post', 'a.post']);
    expect(logger.entries).toEqual([
      {
        level: 'error',
        message: 'plugin preHook failed; skipping it',
        fields: { plugin: 'broken', error: 'pre exploded' },
      },
      {
        level: 'error',
        message: 'plugin postHook failed; skipping it',
        fields: { plugin: 'broken', error: 'post exploded' },
      },
    ]);
  });

  it('lets a postHook turn an error into a response and a later one turn it back', async () => {
    const seen: unknown[] = [];
    const recovered = response('recovered');
    const failed = error('policy says no');
    const pipeline = new PluginPipeline(
      [
        { name: 'outer', postHook: (_context, outcome) => void seen.push(outcome) },
        { name: 'policy', postHook: () => ({ error: failed }) },
        { name: 'recover', postHook: () => ({ response: recovered }) },
      ],
      recordingLogger(),
    );
    const outcome = await pipeline.runPostHooks(context, 3, { error: error('upstream down') });
    expect(seen).toEqual([{ error: failed }]);
    expect(outcome).toEqual({ error: failed });
  });

  it('ignores a postHook result with neither response nor error', async () => {
    const logger = recordingLogger();
    const pipeline = new PluginPipeline([{ name: 'empty', postHook: () => ({}) }], logger);
    expect(await pipeline.runPostHooks(context, 1, { response: response('r') })).toEqual({
      response: response('r'),
    });
    expect(logger.entries[0]).toMatchObject({ level: 'warn', fields: { plugin: 'empty' } });
  });

  it('shows each stream chunk to every chunk hook, surviving one that throws', () => {
    const seen: string[] = [];
    const logger = recordingLogger();
    const pipeline = new PluginPipeline(
      [
        {
          name: 'thrower',
          onStreamChunk: () => {
            throw new Error('chunk exploded');
          },
        },
        { name: 'watcher', onStreamChunk: (_context, chunk) => void seen.push(chunk.id) },
      ],
      logger,
    );
    expect(pipeline.hasChunkHooks).toBe(true);
    expect(pipeline.hasPostHooks).toBe(false);
    pipeline.runChunkHooks(context, {
      id: 'c1',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm',
      choices: [],
    });
    expect(seen).toEqual(['c1']);
    expect(logger.entries).toHaveLength(1);
  });

  it('cleans up every plugin even when one fails', async () => {
    const cleaned: string[] = [];
    const pipeline = new PluginPipeline(
      [
        { name: 'a', cleanup: () => void cleaned.push('a') },
        { name: 'b', cleanup: async () => Promise.reject(new Error('no')) },
        { name: 'c', cleanup: () => void cleaned.push('c') },
      ],
      recordingLogger(),
    );
    await pipeline.cleanup();
    expect(cleaned).toEqual(['a', 'c']);
  });
});
