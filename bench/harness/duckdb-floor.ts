/**
 * The in-process DuckDB floor (bench/harness/duckdb-floor-child.ts), started once and
 * kept for the whole run so that its table is loaded once; each job is one measured
 * window, returned as a load result (queries for requests) so that the rounds, medians
 * and the cost table treat it like any server.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadResult } from './load-test.js';
import type { FloorKind } from './scenarios.js';

export interface FloorJob {
  type: 'run';
  id: number;
  kind: FloorKind;
  callers: number;
  seconds: number;
  warmupSeconds: number;
}

export type FloorMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; queries: number; seconds: number; cpuSeconds: number; p50Ms: number; p99Ms: number }
  | { type: 'error'; id: number; message: string };

export interface DuckdbFloor {
  run(kind: FloorKind, callers: number, seconds: number, warmupSeconds: number): Promise<LoadResult>;
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./duckdb-floor-child.ts', import.meta.url));

/** `parquet`: another flights file than the 3M-row one (the harness's tests use a small one). */
export async function startDuckdbFloor(poolSize: number, options: { parquet?: string; startTimeoutMs?: number } = {}): Promise<DuckdbFloor> {
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const child: ChildProcess = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, POOL_SIZE: String(poolSize), ...(options.parquet !== undefined ? { FLOOR_PARQUET: options.parquet } : {}) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
  const pending = new Map<number, { resolve(result: LoadResult): void; reject(err: Error): void }>();
  let nextId = 1;

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the DuckDB floor did not start within ${startTimeoutMs} ms`)), startTimeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the DuckDB floor exited (${code}) before it was ready: ${stderr.trim().slice(-600)}`));
    });
    child.on('message', (message: FloorMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve();
      } else if (message.type === 'result') {
        pending.get(message.id)?.resolve({
          requests: message.queries, seconds: message.seconds, reqPerSec: message.queries / message.seconds,
          p50Ms: message.p50Ms, p99Ms: message.p99Ms, errors: 0, non2xx: 0, cpuSeconds: message.cpuSeconds,
        });
        pending.delete(message.id);
      } else {
        pending.get(message.id)?.reject(new Error(message.message));
        pending.delete(message.id);
      }
    });
  });
  child.removeAllListeners('exit');
  child.once('exit', (code) => {
    for (const job of pending.values()) job.reject(new Error(`the DuckDB floor exited (${code}): ${stderr.trim().slice(-600)}`));
    pending.clear();
  });

  return {
    run(kind, callers, seconds, warmupSeconds) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ type: 'run', id, kind, callers, seconds, warmupSeconds } satisfies FloorJob);
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
