/**
 * A burst: the same request, not yet answered before (fresh parameters per burst, so
 * the response cache has nothing from an earlier one), sent by 50 clients at once. It
 * measures whether identical concurrent misses run one query and whether the burst
 * finishes about as fast as one request alone. Single requests (fresh parameters too)
 * are timed in between, so both see the same machine load.
 *
 * The queries are counted by the server, from `/_flapi/metrics` before and after each
 * burst: `flapi_db_queries_total` where the server has it, else the response-cache
 * misses (each runs the endpoint's query once; a request that waits for an identical
 * miss already running counts as a hit). The same burst on bare Koa is the floor: what
 * 50 requests cost in HTTP alone, client included.
 *
 * The client is `node:http` with a keep-alive agent, opened by a warm-up burst: fetch
 * costs the client (which shares the machine's two cores) four times as much per request.
 */
import { Agent, request } from 'node:http';

export interface BurstResult {
  label: string;
  /** Concurrent identical requests per burst. */
  size: number;
  /** A flapi server counting its queries; false for the floor (bare Koa). */
  countsQueries: boolean;
  /** Queries each burst ran, as the server counted them. */
  queries: number[];
  /** Which metric counted them. */
  querySource?: string;
  /** Wall clock of each burst, first request sent to last response read, in ms. */
  burstMs: number[];
  /** Wall clock of single requests (fresh parameters), in ms. */
  singleMs: number[];
  /** Answers other than 200 (bursts and single requests). */
  failures: number;
  unavailable?: string;
}

export interface QueryCount {
  value: number;
  source: string;
}

const QUERY_METRICS = ['flapi_db_queries_total', 'flapi_response_cache_misses_total'] as const;

/** The server's query count from its Prometheus text, summed over the series of the first metric it has. */
export function queryCountFromMetrics(text: string): QueryCount | undefined {
  for (const name of QUERY_METRICS) {
    const series = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+([0-9.eE+-]+)\\s*$`, 'gm');
    let value: number | undefined;
    for (const match of text.matchAll(series)) value = (value ?? 0) + Number(match[1]);
    if (value !== undefined && Number.isFinite(value)) return { value, source: name };
  }
  return undefined;
}

export interface BurstPlan {
  baseUrl: string;
  label: string;
  /** A fresh request path each call. */
  path: () => string;
  size: number;
  bursts: number;
  /** Read the server's query count around each burst (a flapi server); false for the floor. */
  countQueries: boolean;
  metricsPath?: string;
}

function timedGet(agent: Agent, url: string): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (ok: boolean) => resolve({ ms: performance.now() - started, ok });
    request(url, { agent, timeout: 30_000 }, (response) => {
      response.resume();
      response.once('end', () => done(response.statusCode === 200));
      response.once('error', () => done(false));
    })
      .once('error', () => done(false))
      .once('timeout', function (this: ReturnType<typeof request>) {
        this.destroy();
      })
      .end();
  });
}

async function queryCount(url: string): Promise<QueryCount | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return response.ok ? queryCountFromMetrics(await response.text()) : undefined;
  } catch {
    return undefined;
  }
}

async function burst(agent: Agent, url: string, size: number): Promise<{ ms: number; failures: number }> {
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: size }, () => timedGet(agent, url)));
  return { ms: performance.now() - started, failures: answers.filter((a) => !a.ok).length };
}

export async function measureBurst(plan: BurstPlan): Promise<BurstResult> {
  const result: BurstResult = { label: plan.label, size: plan.size, countsQueries: plan.countQueries, queries: [], burstMs: [], singleMs: [], failures: 0 };
  const metricsUrl = plan.baseUrl + (plan.metricsPath ?? '/_flapi/metrics');
  const count = async () => (plan.countQueries ? queryCount(metricsUrl) : undefined);
  if (plan.countQueries && (await count()) === undefined) return { ...result, unavailable: `no query count at ${plan.metricsPath ?? '/_flapi/metrics'}` };
  const agent = new Agent({ keepAlive: true, maxSockets: plan.size });
  try {
    // Opens the clients' connections and warms the endpoint; not counted.
    await burst(agent, plan.baseUrl + plan.path(), plan.size);
    await timedGet(agent, plan.baseUrl + plan.path());
    for (let i = 0; i < plan.bursts; i++) {
      for (let k = 0; k < 2; k++) {
        const single = await timedGet(agent, plan.baseUrl + plan.path());
        result.singleMs.push(single.ms);
        if (!single.ok) result.failures++;
      }
      const before = await count();
      const { ms, failures } = await burst(agent, plan.baseUrl + plan.path(), plan.size);
      const after = await count();
      result.burstMs.push(ms);
      result.failures += failures;
      if (before !== undefined && after !== undefined) {
        result.queries.push(after.value - before.value);
        result.querySource = after.source;
      }
    }
  } finally {
    agent.destroy();
  }
  return result;
}
