/**
 * Peak resident memory of a server, read from Linux's /proc. A server may run its work
 * in child processes (a dev server that restarts its worker on change), so the peaks of
 * the whole process tree are added up: an upper bound of what the server held at once.
 */
import { readFileSync } from 'node:fs';

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A `Vm…` line of /proc/<pid>/status in KiB, or undefined when the process is gone. */
function statusKib(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  const status = readProc(`/proc/${pid}/status`);
  const match = status?.match(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm'));
  return match ? Number(match[1]) : undefined;
}

/** `VmHWM` (peak resident set) of one process in KiB, or undefined when it is gone. */
export function peakRssKib(pid: number): number | undefined {
  return statusKib(pid, 'VmHWM');
}

export function descendantPids(pid: number): number[] {
  const found: number[] = [];
  const tasks = readProc(`/proc/${pid}/task/${pid}/children`);
  for (const child of (tasks ?? '').split(/\s+/).filter(Boolean).map(Number)) {
    found.push(child, ...descendantPids(child));
  }
  return found;
}

function treeMib(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  const own = statusKib(pid, field);
  if (own === undefined) return undefined;
  let total = own;
  for (const child of descendantPids(pid)) total += statusKib(child, field) ?? 0;
  return Math.round(total / 1024);
}

/** Sum of VmHWM over the process and its descendants, in MiB. */
export function treePeakRssMib(pid: number): number | undefined {
  return treeMib(pid, 'VmHWM');
}

/** Sum of VmRSS (resident now) over the process and its descendants, in MiB. */
export function treeRssMib(pid: number): number | undefined {
  return treeMib(pid, 'VmRSS');
}
