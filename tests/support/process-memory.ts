import { readFileSync } from 'node:fs';

/** Resident memory of one process, in MiB, from `/proc/<pid>/status` (Linux only). */
export interface ProcessMemory {
  /** VmRSS: resident now. */
  rssMiB: number;
  /** VmHWM: the most it has been resident since it started. */
  peakRssMiB: number;
}

/**
 * Reads a process's resident memory, or `undefined` where `/proc` is not there (macOS, Windows), so a test can
 * skip its memory bound rather than fail.
 */
export function readProcessMemory(pid: number | undefined): ProcessMemory | undefined {
  if (pid === undefined) return undefined;
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  return { rssMiB: mebibytes(status, 'VmRSS'), peakRssMiB: mebibytes(status, 'VmHWM') };
}

function mebibytes(status: string, field: string): number {
  const kibibytes = Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return Math.round((kibibytes / 1024) * 10) / 10;
}
