import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGateway } from './support/gateway-process.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import { postJson } from './support/post-json.js';

let first: OpenAIUpstream;
let second: OpenAIUpstream;
let third: OpenAIUpstream;
let gateway: GatewayProcess;
let directory: string;
let configPath: string;

const configFor = (upstream: OpenAIUpstream, key = 'sk-test') => ({
  providers: { openai: { keys: [{ value: key }], network_config: { base_url: upstream.url } } },
});
const writeConfig = (config: unknown) =>
  writeFile(configPath, typeof config === 'string' ? config : JSON.stringify(config));
const chat = () =>
  postJson(`${gateway.url}/v1/chat/completions`, {
    model: 'openai/gpt-4o-mini',
    messages: [{ role: 'user', content: 'Hello' }],
  });
const reload = () => fetch(`${gateway.url}/api/config/reload`, { method: 'POST' });

beforeAll(async () => {
  [first, second, third] = await Promise.all([
    startOpenAIUpstream(),
    startOpenAIUpstream(),
    startOpenAIUpstream(),
  ]);
  directory = await mkdtemp(join(tmpdir(), 'bifrost-reload-'));
  configPath = join(directory, 'config.json');
  await writeConfig(configFor(first));
  gateway = await startGateway({ args: ['-config', configPath] });
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([first?.close(), second?.close(), third?.close()]);
  await rm(directory, { recursive: true, force: true });
});

describe('config reload', () => {
  it('applies a changed file on POST /api/config/reload', async () => {
    expect((await chat()).status).toBe(200);
    expect(first.requests).toHaveLength(1);

    await writeConfig(configFor(second));
    const answer = await reload();

    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      status: 'reloaded',
      added: [],
      updated: ['openai'],
      removed: [],
      unchanged: [],
    });
    expect((await chat()).status).toBe(200);
    expect(second.requests).toHaveLength(1);
    expect(first.requests).toHaveLength(1);
  });

  it('keeps the running config when the new file is invalid, naming the problem', async () => {
    await writeConfig({
      providers: { openai: { keys: [{ value: 'sk-x' }], network_config: { base_url: 'not a url' } } },
    });
    const answer = await reload();

    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { error: { message: string } };
    expect(body.error.message).toContain('providers.openai.network_config.base_url');
    expect(body.error.message).toContain('config not reloaded');
    expect((await chat()).status).toBe(200);
    expect(second.requests).toHaveLength(2);

    await writeConfig('{ "providers": ');
    expect((await reload()).status).toBe(400);
    expect((await chat()).status).toBe(200);
    expect(second.requests).toHaveLength(3);
  });

  it('re-reads the file on SIGHUP', async () => {
    await writeConfig(configFor(third));
    gateway.process.kill('SIGHUP');
    // The reload is asynchronous to the signal: wait for its log line, then check where requests go.
    for (
      let waited = 0;
      waited < 5000 && !gateway.stdout.some((line) => line.includes('config reloaded'));
      waited += 50
    ) {
      await sleep(50);
    }
    expect((await chat()).status).toBe(200);
    expect(third.requests).toHaveLength(1);
    expect(gateway.process.exitCode).toBeNull();
  });

  it('logs a failed SIGHUP reload and keeps serving', async () => {
    await writeConfig({ providers: { openai: { keys: [{ value: 'env.BIFROST_TEST_UNSET_KEY' }] } } });
    gateway.process.kill('SIGHUP');
    for (
      let waited = 0;
      waited < 5000 &&
      !gateway.stdout.concat(gateway.stderr).some((line) => line.includes('config reload failed'));
      waited += 50
    ) {
      await sleep(50);
    }
    const failure = gateway.stdout
      .concat(gateway.stderr)
      .find((line) => line.includes('config reload failed'));
    expect(failure).toContain('BIFROST_TEST_UNSET_KEY');
    expect((await chat()).status).toBe(200);
    expect(third.requests).toHaveLength(2);
  });
});
