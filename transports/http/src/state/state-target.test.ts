import { resolve } from 'node:path';
import { parseConfig } from '@bifrost/core';
import { describe, expect, it } from 'vitest';
import { postgresConnectionString } from './postgres-connection-string.js';
import { stateTargetFor } from './state-target.js';
import { appDirForWorker, StateConfigError } from './workers-state-check.js';

function configOf(document: Record<string, unknown> = {}) {
  return parseConfig({ providers: {}, ...document }, { env: { DATABASE_URL: 'postgres://env@db/bifrost' } });
}

const upstreamPostgres = {
  type: 'postgres',
  config: {
    host: 'db',
    port: '5432',
    user: 'bifrost',
    password: 'p@ss/word',
    db_name: 'bifrost',
    ssl_mode: 'disable',
    max_open_conns: 20,
  },
};

describe('stateTargetFor', () => {
  it('keeps no state for a programmatic gateway whose config names none', () => {
    expect(stateTargetFor(configOf(), undefined)).toBeUndefined();
  });

  it('embeds state in the app directory the CLI gives', () => {
    expect(stateTargetFor(configOf(), 'data')).toEqual({ kind: 'embedded', directory: resolve('data') });
  });

  it.each([
    [{ governance: {} }],
    [{ auth_config: { is_enabled: false } }],
    [{ config_store: { type: 'embedded' } }],
    [{ config_store: { type: 'sqlite', config: { path: './config.db' } } }],
  ])('keeps state in memory for %j without an app directory', (document) => {
    expect(stateTargetFor(configOf(document), undefined)).toEqual({ kind: 'memory' });
  });

  it('connects to Postgres by connection string, from the environment', () => {
    const config = configOf({ config_store: { type: 'postgres', connection_string: 'env.DATABASE_URL' } });
    expect(stateTargetFor(config, 'data')).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://env@db/bifrost',
    });
  });

  it("connects to Postgres from upstream's settings", () => {
    expect(stateTargetFor(configOf({ config_store: upstreamPostgres }), 'data')).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://bifrost:p%40ss%2Fword@db:5432/bifrost?sslmode=disable',
      maxConnections: 20,
    });
  });

  it('keeps no state when config_store is disabled', () => {
    expect(
      stateTargetFor(
        configOf({ config_store: { type: 'embedded', enabled: false }, governance: {} }),
        'data',
      ),
    ).toBeUndefined();
  });
});

describe('postgresConnectionString', () => {
  it('leaves out an empty password', () => {
    expect(
      postgresConnectionString({
        host: 'h',
        port: 5432,
        user: 'u',
        password: '',
        db_name: 'd',
        ssl_mode: 'require',
      }),
    ).toBe('postgres://u@h:5432/d?sslmode=require');
  });
});

describe('appDirForWorker', () => {
  it('runs workers without state when the config names none', () => {
    expect(appDirForWorker(configOf(), 'data')).toBeUndefined();
  });

  it('lets workers share a Postgres store', () => {
    expect(appDirForWorker(configOf({ config_store: upstreamPostgres }), 'data')).toBe('data');
  });

  it('refuses workers a config that keeps state outside Postgres', () => {
    expect(() => appDirForWorker(configOf({ governance: {} }), 'data')).toThrow(StateConfigError);
  });
});
