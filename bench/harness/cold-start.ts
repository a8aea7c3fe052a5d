/**
 * Cold starts of one server, sampled: spawn, poll until the ready path answers 200, stop;
 * repeated, because one start-up on a shared machine says little. Run while every other
 * server sits idle.
 */
import { launchServer, type LaunchSpec } from './server-process.js';

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
