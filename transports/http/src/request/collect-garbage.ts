import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Node's full garbage collection as a function, without starting the process with `--expose-gc`: the flag set
 * at run time makes `gc` appear in contexts created afterwards. Undefined when the runtime refuses.
 */
export function collectGarbage(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? () => gc() : undefined;
  } catch {
    return undefined;
  }
}
