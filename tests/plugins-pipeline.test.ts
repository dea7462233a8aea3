import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, runGateway, startGateway } from './support/gateway-process.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import { postJson } from './support/post-json.js';

// The third-party fixture plugin, loaded twice: by path from the config, and by the package name under which
// tests/package.json installs it (`link:`), resolved from the gateway's working directory as a deployment would.
const taggerPath = fileURLToPath(
  new URL('./fixtures/plugins/bifrost-plugin-request-tagger/index.js', import.meta.url),
);
const testsDirectory = fileURLToPath(new URL('.', import.meta.url));

let upstream: OpenAIUpstream;
let gateway: GatewayProcess;

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
  gateway = await startGateway({
    cwd: testsDirectory,
    config: {
      providers: {
        openai: {
          keys: [{ value: 'sk-plugins' }],
          network_config: { base_url: upstream.url, max_retries: 0 },
        },
      },
      plugins: [
        {
          name: taggerPath,
          enabled: true,
          config: { tag: 'a', answer_when: 'answer-me', fail_when: 'refuse-me' },
        },
        {
          name: 'bifrost-plugin-request-tagger',
          enabled: true,
          config: { tag: 'b', fail_when: 'refuse-softly', allow_fallbacks: true },
        },
        { name: 'bifrost-plugin-request-tagger', enabled: false, config: { tag: 'disabled' } },
      ],
    },
  });
});
afterEach(() => upstream.reset());
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

function chat(content: string, extra: Record<string, unknown> = {}) {
  return postJson(`${gateway.url}/v1/chat/completions`, {
    model: 'openai/gpt-4o-mini',
    messages: [{ role: 'user', content }],
    ...extra,
  });
}

describe('a third-party plugin loaded from config', () => {
  it('loads by path and by package name, skipping a disabled entry', () => {
    const listening = gateway.stdout.find((line) => line.includes('bifrost-http listening'));

    expect(JSON.parse(listening!).plugins).toEqual(['request-tagger:a', 'request-tagger:b']);
  });

  it('runs preHooks in order before the provider and postHooks in reverse after it', async () => {
    const answer = await chat('hello');

    expect(answer.status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
    expect((upstream.requests[0]!.body as { messages: { content: string }[] }).messages[0]!.content).toBe(
      'hello[pre:a][pre:b]',
    );
    expect(answer.body.choices[0].message.content).toBe('echo: hello[pre:a][pre:b][post:b][post:a]');
  });

  it('answers a short-circuit without calling the provider, running only the postHooks whose preHook ran', async () => {
    const answer = await chat('please answer-me');

    expect(answer.status).toBe(200);
    expect(answer.body.choices[0].message.content).toBe('answered by a[post:a]');
    expect(upstream.requests).toHaveLength(0);
  });

  it('short-circuits with an error and does not fall back when allow_fallbacks is false', async () => {
    const answer = await chat('refuse-me', { fallbacks: ['openai/gpt-4o'] });

    expect(answer.status).toBe(403);
    expect(answer.body.error.message).toBe('refused by a');
    expect(upstream.requests).toHaveLength(0);
  });

  it('falls back after an error short-circuit that allows fallbacks', async () => {
    const answer = await chat('refuse-softly', { fallbacks: ['openai/gpt-4o'] });

    expect(answer.status).toBe(200);
    expect(upstream.requests.map((request) => (request.body as { model: string }).model)).toEqual(['gpt-4o']);
    expect(answer.body.extra_fields).toMatchObject({ model: 'gpt-4o', fallback_index: 1 });
  });
});

describe('a third-party plugin that refuses its config', () => {
  it('stops start-up with exit code 1, naming the plugin and the field', async () => {
    const run = await runGateway({
      cwd: testsDirectory,
      config: {
        providers: {
          openai: { keys: [{ value: 'sk-plugins' }], network_config: { base_url: upstream.url } },
        },
        plugins: [{ name: 'bifrost-plugin-request-tagger', config: { tag: 'x', colour: 'blue' } }],
      },
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'plugin "bifrost-plugin-request-tagger": rejected its config: config.colour is not a known option',
    );
    expect(run.stdout).not.toContain('listening');
  });
});
