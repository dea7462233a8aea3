import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type GatewayProcess, runGateway, startGateway } from './support/gateway-process.js';
import { defaultOpenAIReply } from './support/openai-default-replies.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';
import { type JsonBody, postJson } from './support/post-json.js';

const patiently = { timeout: 10_000 };
let upstream: OpenAIUpstream;

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
});
afterEach(() => upstream.reset());
afterAll(() => upstream?.close());

function openAIAt(url: string) {
  return { providers: { openai: { keys: [{ value: 'sk-cli' }], network_config: { base_url: url } } } };
}

function logLines(lines: string[]): Record<string, unknown>[] {
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

describe('flags', () => {
  it('prints the usage and exits 0 for --help', async () => {
    const run = await runGateway({ args: ['--help'] });

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: bifrost-http \[flags\]/);
    expect(run.stdout).toContain('-drop-excess-requests');
    expect(run.stderr).toBe('');
  });

  it.each([[['-bogus', '1']], [['--bogus']], [['-bogus=true']]])(
    'exits 2 naming the unknown flag in %j, with the usage',
    async (args) => {
      const run = await runGateway({ args });

      expect(run.code).toBe(2);
      expect(run.stderr).toContain('unknown flag -bogus');
      expect(run.stderr).toContain('Usage: bifrost-http');
    },
  );

  it('exits 2 for a flag value out of range', async () => {
    const run = await runGateway({ args: ['-port', 'eighty'] });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('-port must be a whole number');
  });

  it('exits 1 when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = await runGateway({
        config: openAIAt(upstream.url),
        args: ['-port', String(port), '-host', '127.0.0.1'],
      });

      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('config errors', () => {
  it.each([
    [
      'an unknown key',
      { providers: { openai: { keys: [{ value: 'sk-cli' }], bogus: true } } },
      /providers\.openai\.bogus\b/,
    ],
    [
      'a value of the wrong type',
      { providers: { openai: { keys: [{ value: 'sk-cli' }], network_config: { max_retries: '3' } } } },
      /providers\.openai\.network_config\.max_retries: .*number/,
    ],
    [
      'a missing env var',
      { providers: { openai: { keys: [{ value: 'env.OPENAI_API_KEY' }] } } },
      /providers\.openai\.keys\[0\]\.value: env var OPENAI_API_KEY is not set/,
    ],
    ['an unknown provider', { providers: { nope: { keys: [{ value: 'sk-cli' }] } } }, /providers\.nope\b/],
    ['invalid JSON', '{"providers": {"openai": {}}', /\(root\): not valid JSON/],
  ])('exits 1 naming the config path for %s', async (_label, config, pattern) => {
    const run = await runGateway({ config });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^bifrost-http: invalid config \S+config\.json:\n/);
    expect(run.stderr).toMatch(pattern);
    expect(run.stdout).not.toContain('listening');
  });

  it('exits 1 when the config file does not exist', async () => {
    const run = await runGateway({ args: ['-config', join(tmpdir(), 'bifrost-no-such-config.json')] });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('bifrost-no-such-config.json');
    expect(run.stderr).toContain('cannot read: ENOENT');
  });
});

describe('plugins', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'bifrost-cli-plugins-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('exits 1 naming a plugin from -plugins that cannot be loaded', async () => {
    const run = await runGateway({
      config: openAIAt(upstream.url),
      args: ['-plugins', 'bifrost-plugin-that-does-not-exist'],
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('plugin "bifrost-plugin-that-does-not-exist": cannot be loaded');
  });

  it('exits 1 naming a config plugin whose factory throws', async () => {
    const path = join(directory, 'refusing-plugin.mjs');
    await writeFile(path, "export default () => { throw new Error('endpoint is required'); };\n");

    const run = await runGateway({ config: { ...openAIAt(upstream.url), plugins: [{ name: path }] } });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`plugin "${path}": rejected its config: endpoint is required`);
  });
});

describe('embedded default config', () => {
  it('starts with openai from OPENAI_API_KEY plus local ollama when no -config is given', async () => {
    // No request is sent: this gateway would call the real OpenAI.
    const gateway = await startGateway({ env: { OPENAI_API_KEY: 'sk-from-the-environment' } });
    try {
      const logs = logLines(gateway.stdout);
      expect(
        logs.find((entry) => entry.msg === 'no -config given; using the embedded default'),
      ).toMatchObject({
        providers: ['openai', 'ollama'],
      });
      expect(logs.find((entry) => entry.msg === 'bifrost-http listening')).toMatchObject({
        providers: ['openai', 'ollama'],
      });
      expect(gateway.stdout.join('\n')).not.toContain('sk-from-the-environment');
    } finally {
      await gateway.stop();
    }
  });
});

describe('listen backlog', () => {
  it('listens with the backlog -backlog names, 4096 without it', async () => {
    for (const [args, backlog] of [
      [['-backlog', '64'], 64],
      [[], 4096],
    ] as const) {
      const gateway = await startGateway({ args: [...args], env: { OPENAI_API_KEY: 'sk-backlog' } });
      try {
        const listening = logLines(gateway.stdout).find((entry) => entry.msg === 'bifrost-http listening');
        expect(listening).toMatchObject({ backlog });
      } finally {
        await gateway.stop();
      }
    }
  });
});

describe('shutdown', () => {
  /** Holds upstream answers until the returned function is called. */
  function holdUpstream(): () => void {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    upstream.setHandler(async (request) => {
      await released;
      return defaultOpenAIReply(request);
    });
    return release;
  }

  /** Starts a chat request, sends SIGTERM once the upstream holds it, and lets it finish after shutdown began. */
  async function requestAcrossSigterm(gateway: GatewayProcess, dispatcher: Agent) {
    const release = holdUpstream();
    try {
      const inFlight = undiciFetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'openai/gpt-4o-mini',
          messages: [{ role: 'user', content: 'Before the signal' }],
        }),
        dispatcher,
      });
      await vi.waitFor(() => expect(upstream.requests).toHaveLength(1), patiently);
      const exited = gateway.stop('SIGTERM');
      await vi.waitFor(() => expect(gateway.stdout.join('\n')).toContain('shutting down'), patiently);
      release();
      const response = await inFlight;
      return { response, body: (await response.json()) as JsonBody, exited };
    } finally {
      release();
    }
  }

  it('exits 0 on a SIGTERM sent as soon as it logs that it is listening', async () => {
    // Supervisors signal a process as soon as it is ready, so the handler must be in place by the time it says so.
    const codes = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const gateway = await startGateway({ config: openAIAt(upstream.url) });
        return gateway.stop('SIGTERM');
      }),
    );

    expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
  }, 60_000);

  it('finishes an in-flight request on SIGTERM, then exits 0', async () => {
    const gateway = await startGateway({ config: openAIAt(upstream.url) });
    const dispatcher = new Agent();
    try {
      const { response, body, exited } = await requestAcrossSigterm(gateway, dispatcher);
      expect(response.status).toBe(200);
      expect(body.choices[0].message.content).toBe('echo: Before the signal');
      // The client lets its connection go, as a real one would before long.
      await dispatcher.close();
      expect(await exited).toBe(0);
    } finally {
      await dispatcher.destroy();
      await gateway.stop('SIGKILL');
    }
  });

  it('tells a client answered during shutdown to close its keep-alive connection', async () => {
    const gateway = await startGateway({ config: openAIAt(upstream.url) });
    const dispatcher = new Agent();
    try {
      const { response, exited } = await requestAcrossSigterm(gateway, dispatcher);
      expect(response.status).toBe(200);
      // Otherwise the drain waits on idle keep-alive connections, and a client may keep sending new requests.
      expect(response.headers.get('connection')).toBe('close');
      await dispatcher.close();
      expect(await exited).toBe(0);
    } finally {
      await dispatcher.destroy();
      await gateway.stop('SIGKILL');
    }
  });

  it('serves from two workers with -workers 2 and exits 0 on SIGTERM', async () => {
    const gateway = await startGateway({ config: openAIAt(upstream.url), args: ['-workers', '2'] });
    try {
      await vi.waitFor(() => {
        const listening = logLines(gateway.stdout).filter((entry) => entry.msg === 'bifrost-http listening');
        expect(listening).toHaveLength(2);
        expect(new Set(listening.map((entry) => entry.address))).toEqual(new Set([gateway.url]));
      }, patiently);

      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, index) =>
          postJson(`${gateway.url}/v1/chat/completions`, {
            model: 'openai/gpt-4o-mini',
            messages: [{ role: 'user', content: `Request ${index}` }],
          }),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(upstream.requests).toHaveLength(6);

      expect(await gateway.stop('SIGTERM')).toBe(0);
    } finally {
      await gateway.stop('SIGKILL');
    }
  }, 60_000);
});
