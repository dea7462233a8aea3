// CPU time and memory of a process group, read from /proc (Linux only). A gateway started through a
// wrapper (sh, npx) or with node:cluster workers is several processes in one group: they are summed.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
export const clockTicksPerSecond = readClockTicks();

function readClockTicks() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** Fields of /proc/<pid>/stat after the command name, which may itself contain spaces. */
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Ids of the live processes whose process group is `groupId`. */
export function groupPids(groupId) {
  const pids = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // after the name: state, ppid, pgrp, ...
      if (Number(statFields(name)[2]) === groupId) pids.push(Number(name));
    } catch {
      // the process ended while we were reading
    }
  }
  return pids;
}

/** CPU time (user + system) of a process group, in microseconds. */
export function readCpuMicros(groupId) {
  let ticks = 0;
  for (const pid of groupPids(groupId)) {
    try {
      const fields = statFields(pid);
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // ended meanwhile
    }
  }
  return (ticks * 1e6) / clockTicksPerSecond;
}

/** Resident memory of a process group in MiB: current (VmRSS) and peak (VmHWM), summed over processes. */
export function readMemory(groupId) {
  const memory = { processes: 0, rssMiB: 0, peakRssMiB: 0 };
  for (const pid of groupPids(groupId)) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      memory.processes++;
      memory.rssMiB += kibibytes(status, 'VmRSS') / 1024;
      memory.peakRssMiB += kibibytes(status, 'VmHWM') / 1024;
    } catch {
      // ended meanwhile
    }
  }
  memory.rssMiB = Math.round(memory.rssMiB * 10) / 10;
  memory.peakRssMiB = Math.round(memory.peakRssMiB * 10) / 10;
  return memory;
}

function kibibytes(status, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

/** Cumulative ticks of each core from /proc/stat, for `coreBusyPercent`. */
export function readCoreTimes() {
  const cores = [];
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const match = /^cpu(\d+) (.*)$/.exec(line);
    if (!match) continue;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = match[2].trim().split(/\s+/).map(Number);
    cores[Number(match[1])] = {
      processes: user + nice + system,
      // the kernel's interrupt work, loopback packet delivery included: charged to no process
      interrupts: irq + softirq,
      steal,
      total: user + nice + system + idle + iowait + irq + softirq + steal,
    };
  }
  return cores;
}

/**
 * How each core spent the time between two `readCoreTimes()` readings, in percent: running processes,
 * handling interrupts (softirq: mostly loopback traffic) and stolen by the hypervisor.
 */
export function coreBusyPercent(before, after) {
  return after.map((core, i) => {
    const total = core.total - before[i].total;
    const percent = (field) => (total > 0 ? Math.round((100 * (core[field] - before[i][field])) / total) : 0);
    return { processes: percent('processes'), interrupts: percent('interrupts'), steal: percent('steal') };
  });
}
