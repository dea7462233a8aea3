import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StoreUnavailableError } from './store-error.js';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims an embedded store's directory for this process. PGlite has no locking of its own, and two processes writing
 * one data directory corrupt it, so a second opener is refused with `StoreUnavailableError` while the first one's
 * process lives. A lock left by a process that died is taken over. Returns the release function.
 */
export function lockEmbeddedDirectory(directory: string): () => void {
  const path = join(directory, 'store.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const descriptor = openSync(path, 'wx');
      writeSync(descriptor, String(process.pid));
      closeSync(descriptor);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(owner) && isRunning(owner)) {
        throw new StoreUnavailableError(`the embedded store in ${directory} is open in process ${owner}`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new StoreUnavailableError(`could not lock the embedded store in ${directory}`);
}
