/**
 * The server's Prometheus metrics, kept as plain counters in maps.
 *
 * Recording a request costs two map lookups keyed by a short string and a bucket scan; all
 * text is built when `/_flapi/metrics` is scraped. Series are created per endpoint name (a
 * bounded set), never per raw URL.
 */

export interface PoolStats {
  inUse: number;
  size: number;
  waiting: number;
}

export interface MetricsOptions {
  /** Histogram bucket upper bounds in seconds. */
  buckets?: readonly number[];
  /** Read at scrape time for the `flapi_db_pool_*` gauges. */
  pool?: () => PoolStats;
}

export const DEFAULT_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface CounterSeries {
  labels: string;
  count: number;
}

interface HistogramSeries {
  labels: string;
  /** Non-cumulative per bucket; the last slot is +Inf. */
  buckets: number[];
  sum: number;
  count: number;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(pairs: Record<string, string>): string {
  return Object.entries(pairs).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
}

export class Metrics {
  private readonly requests = new Map<string, CounterSeries>();
  private readonly errors = new Map<string, CounterSeries>();
  private readonly durations = new Map<string, HistogramSeries>();
  private readonly buckets: readonly number[];
  private pool: (() => PoolStats) | undefined;
  cacheHits = 0;
  cacheMisses = 0;

  constructor(options: MetricsOptions = {}) {
    this.buckets = options.buckets ?? DEFAULT_BUCKETS;
    this.pool = options.pool;
  }

  /** Sets (or replaces, after a swap) the source of the pool gauges. */
  setPoolStats(pool: (() => PoolStats) | undefined): void {
    this.pool = pool;
  }

  /** Counts one finished request; 5xx answers also count as errors. */
  observeRequest(endpoint: string, method: string, status: number, seconds: number): void {
    const key = `${endpoint}\u0000${method}\u0000${status}`;
    let counter = this.requests.get(key);
    if (!counter) {
      counter = { labels: labelText({ endpoint, method, status: String(status) }), count: 0 };
      this.requests.set(key, counter);
    }
    counter.count++;
    if (status >= 500) {
      let errors = this.errors.get(key);
      if (!errors) {
        errors = { labels: counter.labels, count: 0 };
        this.errors.set(key, errors);
      }
      errors.count++;
    }
    const hKey = `${endpoint}\u0000${method}`;
    let histogram = this.durations.get(hKey);
    if (!histogram) {
      histogram = { labels: labelText({ endpoint, method }), buckets: new Array<number>(this.buckets.length + 1).fill(0), sum: 0, count: 0 };
      this.durations.set(hKey, histogram);
    }
    let i = 0;
    while (i < this.buckets.length && seconds > this.buckets[i]!) i++;
    histogram.buckets[i]!++;
    histogram.sum += seconds;
    histogram.count++;
  }

  cacheHit(): void {
    this.cacheHits++;
  }

  cacheMiss(): void {
    this.cacheMisses++;
  }

  /** The Prometheus text exposition (version 0.0.4). */
  render(): string {
    const out: string[] = [];
    const counter = (name: string, help: string, series: Iterable<CounterSeries>) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const s of series) out.push(`${name}{${s.labels}} ${s.count}`);
    };
    counter('flapi_http_requests_total', 'HTTP requests answered, by endpoint, method and status.', this.requests.values());
    counter('flapi_http_errors_total', 'HTTP requests answered with a 5xx status.', this.errors.values());

    const h = 'flapi_http_request_duration_seconds';
    out.push(`# HELP ${h} Time from request to response headers, in seconds.`, `# TYPE ${h} histogram`);
    for (const s of this.durations.values()) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += s.buckets[i]!;
        out.push(`${h}_bucket{${s.labels},le="${bound}"} ${cumulative}`);
      });
      out.push(`${h}_bucket{${s.labels},le="+Inf"} ${s.count}`, `${h}_sum{${s.labels}} ${s.sum}`, `${h}_count{${s.labels}} ${s.count}`);
    }

    out.push('# HELP flapi_response_cache_hits_total Reads answered from the response cache.', '# TYPE flapi_response_cache_hits_total counter', `flapi_response_cache_hits_total ${this.cacheHits}`);
    out.push('# HELP flapi_response_cache_misses_total Cacheable reads that had to run their query.', '# TYPE flapi_response_cache_misses_total counter', `flapi_response_cache_misses_total ${this.cacheMisses}`);

    const pool = this.pool?.();
    if (pool) {
      const gauge = (name: string, help: string, value: number) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
      gauge('flapi_db_pool_in_use', 'DuckDB connections lent to requests.', pool.inUse);
      gauge('flapi_db_pool_size', 'DuckDB connections in the pool.', pool.size);
      gauge('flapi_db_pool_waiting', 'Requests waiting for a DuckDB connection.', pool.waiting);
    }
    const memory = process.memoryUsage();
    out.push('# HELP process_resident_memory_bytes Resident memory size in bytes.', '# TYPE process_resident_memory_bytes gauge', `process_resident_memory_bytes ${memory.rss}`);
    out.push('# HELP nodejs_heap_used_bytes V8 heap in use, in bytes.', '# TYPE nodejs_heap_used_bytes gauge', `nodejs_heap_used_bytes ${memory.heapUsed}`);
    return `${out.join('\n')}\n`;
  }
}
