/**
 * CPU time a server has used so far (user + system, all its threads, its process tree),
 * read from Linux's /proc. Per request it is steadier than throughput on a shared
 * machine: other processes slow a server down but do not make its work bigger.
 */
import { readFileSync } from 'node:fs';
import { descendantPids } from './process-memory.js';

const TICKS_PER_SECOND = 100;

function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Milliseconds of CPU used by the process and its descendants. */
export function treeCpuMs(pid: number): number {
  return [pid, ...descendantPids(pid)].reduce((sum, p) => sum + cpuMs(p), 0);
}
