/**
 * One measured load run with autocannon in this process (no workers: the machine has two
 * cores and the server needs one of them). A short warm-up run is thrown away first, so
 * JIT compilation, prepared statements and DuckDB's buffers are hot when the clock starts.
 */
import autocannon from 'autocannon';

export interface LoadPlan {
  baseUrl: string;
  /** A fixed path, or a function returning a fresh path for each request. */
  path: string | (() => string);
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** CPU seconds the server has used so far (bench/harness/proc-cpu.ts), read around the measured run. */
  cpuSeconds?: () => number | undefined;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts included. */
  errors: number;
  non2xx: number;
  /** CPU seconds the server spent in the measured window, when it could be read. */
  cpuSeconds?: number;
}

function options(plan: LoadPlan, seconds: number): autocannon.Options {
  const { path } = plan;
  const base: autocannon.Options = {
    url: plan.baseUrl,
    connections: plan.connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    workers: 0,
  };
  if (typeof path === 'string') return { ...base, url: plan.baseUrl + path };
  return {
    ...base,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: path() }),
      },
    ],
  };
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/**
 * One result from several rounds of the same scenario: requests and time add up; the
 * median of the rounds' p50 and the worst p99 stand for the whole (autocannon gives no
 * mergeable histogram).
 */
export function mergeLoads(rounds: readonly LoadResult[]): LoadResult {
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0);
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  const p50s = rounds.map((r) => r.p50Ms).sort((a, b) => a - b);
  return {
    requests,
    seconds,
    reqPerSec: seconds > 0 ? requests / seconds : 0,
    p50Ms: p50s[Math.floor(p50s.length / 2)] ?? 0,
    p99Ms: Math.max(0, ...rounds.map((r) => r.p99Ms)),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    ...(rounds.length > 0 && rounds.every((r) => r.cpuSeconds !== undefined)
      ? { cpuSeconds: rounds.reduce((sum, r) => sum + r.cpuSeconds!, 0) }
      : {}),
  };
}

/**
 * When autocannon stops it drops its sockets, but the server still works off the requests
 * already queued for a DuckDB connection. One request sent afterwards queues behind them
 * (the pool is first come, first served), so its answer means the backlog is gone and
 * none of the warm-up's work is counted in the measured run.
 */
async function drain(plan: LoadPlan): Promise<void> {
  const path = typeof plan.path === 'string' ? plan.path : plan.path();
  try {
    const response = await fetch(plan.baseUrl + path, { signal: AbortSignal.timeout(60_000) });
    await response.arrayBuffer();
  } catch {
    // The measured run reports whatever is wrong with the server.
  }
}

export async function measureLoad(plan: LoadPlan): Promise<LoadResult> {
  if (plan.warmupSeconds > 0) {
    await run(options(plan, plan.warmupSeconds));
    await drain(plan);
  }
  // The window is the load run alone: the server was idle before it (drained), and the
  // few requests still in flight when it ends are not counted, nor is their CPU after it.
  const cpuBefore = plan.cpuSeconds?.();
  const result = await run(options(plan, plan.seconds));
  const cpuAfter = plan.cpuSeconds?.();
  // Leave the server idle for whatever is measured next (possibly another server).
  await drain(plan);
  const total = result.requests.total;
  const seconds = result.duration > 0 ? result.duration : plan.seconds;
  return {
    requests: total,
    seconds,
    reqPerSec: total / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuSeconds: cpuAfter - cpuBefore } : {}),
  };
}
