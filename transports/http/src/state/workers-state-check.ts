import type { ConfigFile } from '@bifrost/schemas';
import { stateTargetFor } from './state-target.js';

/** A state setting the operator has to change before the gateway can start; the CLI prints its message. */
export class StateConfigError extends Error {
  override readonly name = 'StateConfigError';
}

/**
 * The app directory a cluster worker (`-workers N`) may use. Embedded Postgres opens in one process at a time, so
 * workers share state only through a Postgres `config_store`: a config that keeps state elsewhere is refused,
 * and a config that names no state runs its workers without a store, as before there was one.
 *
 * @throws StateConfigError when the config names state but no Postgres store.
 */
export function appDirForWorker(config: ConfigFile, appDir: string): string | undefined {
  const target = stateTargetFor(config, appDir);
  if (target === undefined || target.kind === 'postgres') return appDir;
  if (stateTargetFor(config, undefined) === undefined) return undefined;
  throw new StateConfigError(
    '-workers above 1 share state only through Postgres: set config_store to {"type": "postgres", ...}, or run one worker',
  );
}
