/**
 * CPU time of a server under test, read from Linux's /proc: `utime + stime` of the
 * process (every thread of it, DuckDB's workers included) and of its descendants. Read
 * before and after a measured window, divided by the requests completed in it, it gives
 * the server's CPU per request, which unlike req/s does not move when another process
 * takes one of the cores.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { descendantPids } from './process-memory.js';

/** USER_HZ, the unit of /proc/<pid>/stat times: 100 on every Linux the bench runs on. */
function clockTicksPerSecond(): number {
  const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(result.stdout?.trim());
  return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
}

let ticksPerSecond: number | undefined;

/**
 * `utime + stime` in clock ticks from the text of /proc/<pid>/stat. The command name
 * (field 2) is in parentheses and may itself hold spaces and parentheses, so the fields
 * are counted from the last `)`: utime and stime are fields 14 and 15.
 */
export function parseStatCpuTicks(stat: string): number | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = stat.slice(close + 1).trim().split(/\s+/);
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : undefined;
}

function processCpuTicks(pid: number): number | undefined {
  try {
    return parseStatCpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far by a process and its living descendants; undefined when it is gone. */
export function treeCpuSeconds(pid: number): number | undefined {
  const own = processCpuTicks(pid);
  if (own === undefined) return undefined;
  let ticks = own;
  for (const child of descendantPids(pid)) ticks += processCpuTicks(child) ?? 0;
  ticksPerSecond ??= clockTicksPerSecond();
  return ticks / ticksPerSecond;
}

/** CPU microseconds per completed request; undefined without a CPU reading or a request. */
export function cpuMicrosPerRequest(load: { cpuSeconds?: number; requests: number }): number | undefined {
  if (load.cpuSeconds === undefined || load.requests <= 0) return undefined;
  return (load.cpuSeconds * 1e6) / load.requests;
}
