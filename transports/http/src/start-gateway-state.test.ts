import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@bifrost/core';
import type { Logger } from '@bifrost/schemas';
import { openStore } from '@bifrost/store';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from './start-gateway.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
// Creating a PGlite database takes seconds, more on a busy machine.
const slowly = { timeout: 120_000 };

let gateway: RunningGateway | undefined;
let directory: string | undefined;

afterEach(async () => {
  await gateway?.close(0);
  gateway = undefined;
  if (directory) await rm(directory, { recursive: true, force: true });
  directory = undefined;
});

function start(document: Record<string, unknown>, appDir?: string) {
  return startGateway({
    // Governance is turned off here: these tests are about the store, not the plugin it feeds.
    config: parseConfig(
      { providers: {}, plugins: [{ name: 'governance', enabled: false }], ...document },
      { env: {} },
    ),
    configDirectory: process.cwd(),
    port: 0,
    host: '127.0.0.1',
    logger: silent,
    appDir,
  });
}

describe('startGateway state', () => {
  it('opens no store for a config that names no state and no app directory', async () => {
    gateway = await start({});
    expect(gateway.store).toBeUndefined();
  });

  it('opens the embedded store in the app directory and releases it on close', slowly, async () => {
    directory = await mkdtemp(join(tmpdir(), 'bifrost-gateway-state-'));
    gateway = await start({}, directory);
    expect(gateway.store?.backend).toBe('embedded');
    await gateway.store?.virtualKeys.create({ name: 'kept', value: 'sk-bf-kept' });
    await gateway.close(0);
    gateway = undefined;

    const reopened = await openStore({ type: 'embedded', directory });
    try {
      expect((await reopened.virtualKeys.getByValue('sk-bf-kept'))?.name).toBe('kept');
    } finally {
      await reopened.close();
    }
  });

  it("guards the management API with the config's auth_config, its state in memory", slowly, async () => {
    gateway = await start({
      auth_config: { is_enabled: true, admin_username: 'admin', admin_password: 'secret' },
    });
    expect(gateway.store?.backend).toBe('embedded');
    const base = `http://127.0.0.1:${gateway.port}`;

    expect((await fetch(`${base}/api/config`)).status).toBe(401);
    const basic = `Basic ${Buffer.from('admin:secret').toString('base64')}`;
    expect((await fetch(`${base}/api/config`, { headers: { authorization: basic } })).status).toBe(200);
  });
});
