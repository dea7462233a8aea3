import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyAppDirTemplate } from './support/app-dir-template.js';
import { gatewayBinary, startGateway } from './support/gateway-process.js';
import { namespaceTestHostOrSkip } from './support/namespace-test-host.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';

// Where the gateway listens when nobody says: loopback only, so a laptop on café Wi-Fi does not lend its API
// keys (or its local Ollama) to the room. Binding wider is explicit and logged as a warning. "Another machine" is
// a network namespace this run creates, reaching the host through its own veth pair.

const namespace = await namespaceTestHostOrSkip('the listen-address checks');
let upstream: OpenAIUpstream;

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
});
afterAll(async () => {
  await upstream?.close();
  await namespace?.close();
});

/** Starts the binary with no `-host` at all (the shared helper always adds one) and returns its listening line. */
async function startWithoutHostFlag(): Promise<{ address: string; stop: () => Promise<void> }> {
  // Its own app directory, ready-made, rather than ./bifrost-data in the working directory.
  const directory = await mkdtemp(join(tmpdir(), 'bifrost-listen-'));
  await copyAppDirTemplate(gatewayBinary, join(directory, 'app'));
  const child = spawn(process.execPath, [gatewayBinary, '-port', '0', '-app-dir', join(directory, 'app')], {
    env: { PATH: process.env.PATH ?? '', OPENAI_API_KEY: 'sk-listen' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await rm(directory, { recursive: true, force: true });
  };
  let output = '';
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line:\n${output}`)), 15_000);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      const match = /"msg":"bifrost-http listening","address":"([^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  return { address, stop };
}

describe('the listen address', () => {
  it.skipIf(namespace === undefined)('binds 127.0.0.1 when no -host is given', async () => {
    const gateway = await startWithoutHostFlag();
    try {
      const url = new URL(gateway.address);
      expect(url.hostname).toBe('127.0.0.1');

      const local = await fetch(`http://127.0.0.1:${url.port}/health`);
      expect(local.status).toBe(200);
      await expect(
        namespace!.fetchFromNamespace(`http://${namespace!.hostAddress}:${url.port}/health`),
      ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await gateway.stop();
    }
  });

  it('warns at start that -host 0.0.0.0 is reachable from other machines without authentication', async () => {
    const gateway = await startGateway({
      config: {
        providers: { openai: { keys: [{ value: 'sk-listen' }], network_config: { base_url: upstream.url } } },
      },
      args: ['-host', '0.0.0.0'],
    });
    try {
      const warnings = gateway.stderr
        .map((line) => JSON.parse(line) as { level: string; msg: string; host?: string })
        .filter((entry) => entry.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ host: '0.0.0.0' });
      expect(warnings[0]!.msg).toMatch(/reachable from other machines with no authentication/);
      expect(warnings[0]!.msg).toMatch(/spend the configured provider keys/);
    } finally {
      await gateway.stop();
    }
  });

  it('does not warn on -host 0.0.0.0 when inference needs a virtual key', async () => {
    const gateway = await startGateway({
      config: {
        client: { enforce_auth_on_inference: true },
        providers: { openai: { keys: [{ value: 'sk-listen' }], network_config: { base_url: upstream.url } } },
      },
      args: ['-host', '0.0.0.0'],
    });
    try {
      const warnings = gateway.stderr
        .map((line) => JSON.parse(line) as { level: string; msg: string })
        .filter((entry) => entry.level === 'warn');
      expect(warnings).toEqual([]);
    } finally {
      await gateway.stop();
    }
  });

  it('does not warn on loopback', async () => {
    const gateway = await startGateway({
      config: {
        providers: { openai: { keys: [{ value: 'sk-listen' }], network_config: { base_url: upstream.url } } },
      },
    });
    try {
      expect(gateway.stderr.filter((line) => line.includes('"level":"warn"'))).toEqual([]);
    } finally {
      await gateway.stop();
    }
  });
});
