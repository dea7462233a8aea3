import type { ChatRequest, ChatResponse, Plugin, PluginContext } from '@bifrost/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { readOpenAIFixture } from './testing/openai-fixtures.js';
import { rejection } from './testing/rejection.js';
import { createTestEngine, oneKey, type TestEngine } from './testing/test-engine.js';

const openai = 'https://api.openai.com';
const groq = 'https://api.groq.com';
const request: ChatRequest = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hello!' }],
};
const completion = () => readOpenAIFixture('chat-completion');
const canned = (): ChatResponse => ({
  ...readOpenAIFixture<Omit<ChatResponse, 'extra_fields'>>('chat-completion'),
  id: 'canned',
  extra_fields: { provider: 'openai', model: 'gpt-4o-mini', latency: 0 },
});

let engine: TestEngine | undefined;
afterEach(async () => {
  await engine?.bifrost.shutdown();
  engine = undefined;
});

async function start(plugins: Plugin[]): Promise<TestEngine> {
  engine = await createTestEngine({ providers: { openai: oneKey('sk-1'), groq: oneKey('gsk-1') }, plugins });
  return engine;
}

describe('Bifrost plugins', () => {
  it('runs preHooks in order and postHooks in reverse around the provider call', async () => {
    const calls: string[] = [];
    const tracing = (name: string): Plugin => ({
      name,
      preHook: () => void calls.push(`${name}.pre`),
      postHook: () => void calls.push(`${name}.post`),
    });
    const { bifrost, upstream } = await start([tracing('a'), tracing('b')]);
    upstream.reply(openai, '/v1/chat/completions', 200, completion());
    await bifrost.chatCompletion(request);
    expect(calls).toEqual(['a.pre', 'b.pre', 'b.post', 'a.post']);
  });

  it('sends the request a preHook rewrote', async () => {
    const rewrite: Plugin = {
      name: 'router',
      preHook: (_context, current) => ({
        request: { ...current, provider: 'groq', model: 'llama-3.1-8b-instant' },
      }),
    };
    const { bifrost, upstream } = await start([rewrite]);
    upstream.reply(groq, '/openai/v1/chat/completions', 200, completion());
    const answer = await bifrost.chatCompletion(request);
    expect(upstream.requests[0]).toMatchObject({
      origin: groq,
      headers: { authorization: 'Bearer gsk-1' },
      body: { model: 'llama-3.1-8b-instant' },
    });
    expect(answer.extra_fields).toMatchObject({ provider: 'groq', model: 'llama-3.1-8b-instant' });
  });

  it('answers from a short-circuit without calling the provider, running postHooks only for plugins that ran', async () => {
    const calls: string[] = [];
    const plugins: Plugin[] = [
      { name: 'outer', postHook: () => void calls.push('outer.post') },
      {
        name: 'cache',
        preHook: () => ({ shortCircuit: { response: canned() } }),
        postHook: () => void calls.push('cache.post'),
      },
      {
        name: 'inner',
        preHook: () => void calls.push('inner.pre'),
        postHook: () => void calls.push('inner.post'),
      },
    ];
    const { bifrost, upstream } = await start(plugins);
    const answer = await bifrost.chatCompletion(request);
    expect(answer.id).toBe('canned');
    expect(calls).toEqual(['cache.post', 'outer.post']);
    expect(upstream.requests).toEqual([]);
  });

  it('lets a postHook turn a provider error into a response', async () => {
    const recover: Plugin = {
      name: 'recover',
      postHook: (_context, outcome) => (outcome.error ? { response: canned() } : undefined),
    };
    const { bifrost, upstream } = await start([recover]);
    upstream.reply(openai, '/v1/chat/completions', 400, readOpenAIFixture('error-400-missing-parameter'));
    expect((await bifrost.chatCompletion(request)).id).toBe('canned');
  });

  it('lets a postHook turn a response into an error', async () => {
    const moderate: Plugin = {
      name: 'moderation',
      postHook: () => ({
        error: {
          is_bifrost_error: true,
          status_code: 403,
          error: { message: 'flagged by moderation' },
          extra_fields: { error_code: 'permission_denied' },
        },
      }),
    };
    const { bifrost, upstream } = await start([moderate]);
    upstream.reply(openai, '/v1/chat/completions', 200, completion());
    const error = await rejection(bifrost.chatCompletion(request));
    expect(error).toMatchObject({
      code: 'permission_denied',
      statusCode: 403,
      message: 'flagged by moderation',
    });
  });

  it('keeps the Retry-After of an error no postHook replaced', async () => {
    const watcher: Plugin = { name: 'watcher', postHook: () => undefined };
    const { bifrost, upstream } = await start([watcher]);
    upstream.reply(openai, '/v1/chat/completions', 429, readOpenAIFixture('error-429-rate-limit'), {
      headers: { 'retry-after': '90' },
    });
    const error = await rejection(bifrost.chatCompletion(request));
    expect(error).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 90_000,
      upstreamCode: 'rate_limit_exceeded',
    });
  });

  it('completes the request when a hook throws', async () => {
    const broken: Plugin = {
      name: 'broken',
      preHook: () => {
        throw new Error('pre exploded');
      },
      postHook: async () => {
        throw new Error('post exploded');
      },
    };
    const current = await start([broken]);
    current.upstream.reply(openai, '/v1/chat/completions', 200, completion());
    await expect(current.bifrost.chatCompletion(request)).resolves.toMatchObject({
      object: 'chat.completion',
    });
    expect(
      current.logger.entries.filter((entry) => entry.level === 'error').map((entry) => entry.fields?.error),
    ).toEqual(['pre exploded', 'post exploded']);
  });

  it('gives every attempt the same request id and shared values, with its own provider and fallback index', async () => {
    const contexts: Pick<PluginContext, 'requestId' | 'provider' | 'model' | 'fallbackIndex' | 'headers'>[] =
      [];
    const attemptsSeen: number[] = [];
    const recorder: Plugin = {
      name: 'recorder',
      preHook: (context) => {
        const { requestId, provider, model, fallbackIndex, headers } = context;
        contexts.push({ requestId, provider, model, fallbackIndex, headers });
        context.values.set('attempts', ((context.values.get('attempts') as number | undefined) ?? 0) + 1);
      },
      postHook: (context) => void attemptsSeen.push(context.values.get('attempts') as number),
    };
    const { bifrost, upstream } = await start([recorder]);
    upstream.reply(openai, '/v1/chat/completions', 500, readOpenAIFixture('error-500-server-error'));
    upstream.reply(groq, '/openai/v1/chat/completions', 200, completion());
    await bifrost.chatCompletion(
      { ...request, fallbacks: [{ provider: 'groq', model: 'llama-3.1-8b-instant' }] },
      { requestId: 'req-42', headers: { 'x-team': 'search' } },
    );
    expect(contexts).toEqual([
      {
        requestId: 'req-42',
        provider: 'openai',
        model: 'gpt-4o-mini',
        fallbackIndex: 0,
        headers: { 'x-team': 'search' },
      },
      {
        requestId: 'req-42',
        provider: 'groq',
        model: 'llama-3.1-8b-instant',
        fallbackIndex: 1,
        headers: { 'x-team': 'search' },
      },
    ]);
    expect(attemptsSeen).toEqual([1, 2]);
  });

  it('generates a request id when the caller gives none', async () => {
    const ids: string[] = [];
    const { bifrost, upstream } = await start([
      { name: 'ids', preHook: (context) => void ids.push(context.requestId) },
    ]);
    upstream.reply(openai, '/v1/chat/completions', 200, completion());
    await bifrost.chatCompletion(request);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
