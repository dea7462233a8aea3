import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayBinary, startGateway } from './support/gateway-process.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './support/openai-upstream.js';

// Where the gateway listens when nobody says: loopback only, so a laptop on café Wi-Fi does not lend its API
// keys (or its local Ollama) to the room. Binding wider is explicit and logged as a warning.

let upstream: OpenAIUpstream;

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
});
afterAll(async () => {
  await upstream?.close();
});

/** This machine's first IPv4 address that is not loopback, or undefined when it has none. */
function ownExternalAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return undefined;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Starts the binary with no `-host` at all (the shared helper always adds one) and returns its listening line. */
async function startWithoutHostFlag(): Promise<{ address: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [gatewayBinary, '-port', '0'], {
    env: { PATH: process.env.PATH ?? '', OPENAI_API_KEY: 'sk-listen' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
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
  it('binds 127.0.0.1 when no -host is given', async () => {
    const gateway = await startWithoutHostFlag();
    try {
      const url = new URL(gateway.address);
      expect(url.hostname).toBe('127.0.0.1');
      const external = ownExternalAddress();
      if (external !== undefined) expect(await canConnect(external, Number(url.port))).toBe(false);
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
