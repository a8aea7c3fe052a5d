/**
 * Cold starts of one server, sampled: spawn, poll until the ready path answers 200, stop;
 * repeated, because one start-up on a shared machine says little. Run while every other
 * server sits idle. `measureColdStartPair` alternates two servers sample by sample, so a
 * server and its floor see the same machine load.
 */
import { launchServer, type LaunchSpec } from './server-process.js';

/** The cold start the < 500 ms target is about. */
export const BUILT_ON_ARTIFACT = 'built server on a local artifact';

/** What any server answering from that artifact must at least load and do (bench/servers/cold-start-floor.mjs). */
export const COLD_START_FLOOR = 'floor: Koa + @koa/router + DuckDB opening the same artifact (bench/servers/cold-start-floor.mjs)';

export interface ColdStart {
  label: string;
  /** Spawn to first 200, in milliseconds, in the order measured. */
  samples: number[];
  unavailable?: string;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Two servers' cold starts, alternating: a, b, a, b, ... */
export async function measureColdStartPair(
  a: { label: string; spec: LaunchSpec },
  b: { label: string; spec: LaunchSpec },
  count: number,
): Promise<[ColdStart, ColdStart]> {
  const results: [ColdStart, ColdStart] = [
    { label: a.label, samples: [] },
    { label: b.label, samples: [] },
  ];
  for (let i = 0; i < count; i++) {
    for (const [k, side] of [a, b].entries()) {
      const result = results[k]!;
      if (result.unavailable !== undefined) continue;
      const one = await measureColdStarts(side.label, side.spec, () => [], 1);
      if (one.unavailable !== undefined) result.unavailable = one.unavailable;
      else result.samples.push(...one.samples);
    }
  }
  return results;
}

export async function measureColdStarts(
  label: string,
  spec: LaunchSpec,
  portFlag: (port: number) => string[],
  count: number,
): Promise<ColdStart> {
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = await launchServer(spec, portFlag);
      samples.push(server.startupMs);
      await server.stop();
    }
    return { label, samples };
  } catch (err) {
    return { label, samples, unavailable: (err as Error).message.replace(/\s+/g, ' ').slice(0, 300) };
  }
}
