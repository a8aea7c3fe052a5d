/**
 * The cost-per-request pieces of the bench harness, without long runs: CPU read from
 * /proc and divided per request, the server's query count parsed from its metrics, a
 * burst of identical misses on a real `flapi dev` (one query per burst), the in-process
 * DuckDB floor on a small flights file, and the report's cost table, burst, growth and
 * target lines rendered from given numbers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { measureBurst, queryCountFromMetrics } from '../bench/harness/burst.js';
import { startDuckdbFloor } from '../bench/harness/duckdb-floor.js';
import { OFFLINE_DUCKDB_OPTIONS, REPO_ROOT } from '../bench/harness/flights-table.js';
import { writeGrowthProject } from '../bench/harness/growth.js';
import { mergeLoads } from '../bench/harness/load-test.js';
import { cpuMicrosPerRequest, parseStatCpuTicks, treeCpuSeconds } from '../bench/harness/proc-cpu.js';
import { renderReport, type BenchResults } from '../bench/harness/report.js';
import type { Scenario } from '../bench/harness/scenarios.js';
import { flapiDevSpec } from '../bench/harness/server-list.js';
import { launchServer } from '../bench/harness/server-process.js';

describe('bench: CPU per request', () => {
  it('reads utime + stime from /proc/<pid>/stat, whatever the command name holds', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    // Field n holds n: utime (14) + stime (15).
    assert.equal(parseStatCpuTicks(`4242 (node ) (x) y) ${fields.join(' ')}\n`), 14 + 15);
    assert.equal(parseStatCpuTicks('4242 node S 1 2'), undefined);
    assert.equal(parseStatCpuTicks('4242 (node) S 1 2'), undefined);
  });

  it('reads a living process tree\'s CPU seconds, and nothing for a process that is gone', () => {
    const before = treeCpuSeconds(process.pid);
    // Spins for 150 ms of this process's own CPU (wall time would depend on the machine's load).
    const cpu = process.cpuUsage();
    let spin = 0;
    while (process.cpuUsage(cpu).user < 150_000) spin++;
    const afterSpin = treeCpuSeconds(process.pid);
    assert.ok(before !== undefined && afterSpin !== undefined && spin > 0);
    assert.ok(afterSpin - before >= 0.13, `150 ms of CPU counted as ${afterSpin - before} s`);
    assert.equal(treeCpuSeconds(2 ** 30), undefined);
  });

  it('divides CPU by completed requests, and merges rounds only when every round was read', () => {
    assert.equal(cpuMicrosPerRequest({ cpuSeconds: 0.5, requests: 1000 }), 500);
    assert.equal(cpuMicrosPerRequest({ cpuSeconds: 0.5, requests: 0 }), undefined);
    assert.equal(cpuMicrosPerRequest({ requests: 10 }), undefined);
    const round = (requests: number, cpuSeconds?: number) => ({
      requests, seconds: 1, reqPerSec: requests, p50Ms: 1, p99Ms: 2, errors: 0, non2xx: 0, ...(cpuSeconds !== undefined ? { cpuSeconds } : {}),
    });
    const merged = mergeLoads([round(1000, 0.25), round(3000, 0.75)]);
    assert.equal(merged.cpuSeconds, 1);
    assert.equal(cpuMicrosPerRequest(merged), 250);
    assert.equal(mergeLoads([round(1000, 0.25), round(1000)]).cpuSeconds, undefined);
  });
});

describe('bench: query count', () => {
  it('prefers a query counter, summed over its series, and falls back on response-cache misses', () => {
    const misses = '# TYPE flapi_response_cache_misses_total counter\nflapi_response_cache_misses_total 7\n';
    assert.deepEqual(queryCountFromMetrics(misses), { value: 7, source: 'flapi_response_cache_misses_total' });
    const both = `${misses}flapi_db_queries_total{connection="a"} 3\nflapi_db_queries_total{connection="b"} 4\n`;
    assert.deepEqual(queryCountFromMetrics(both), { value: 7, source: 'flapi_db_queries_total' });
    assert.equal(queryCountFromMetrics('{"hello":"world"}'), undefined);
    assert.equal(queryCountFromMetrics('flapi_response_cache_misses_total_other 3\n'), undefined);
  });
});

describe('bench: burst and growth project on flapi dev', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'flapi-bench-cost-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('serves a generated table read-only, and counts one query per burst of identical misses', async () => {
    const dir = join(work, 'growth');
    const generateMs = await writeGrowthProject(dir, 10_000);
    assert.ok(generateMs > 0);
    const spec = flapiDevSpec(dir, '/items/1');
    assert.ok(!('unavailable' in spec), 'needs dist/ (npm run build)');
    const server = await launchServer(spec, (port) => ['--port', String(port)]);
    try {
      const item = await (await fetch(`${server.baseUrl}/items/10000`)).json();
      assert.deepEqual(item, [{ id: 10000, category: 'c0', amount: (10000 * 7919) % 100000, day: '2024-05-25' }]);
      const page = await (await fetch(`${server.baseUrl}/items?category=c7&limit=100&offset=0`)).json() as { data: unknown[]; total_count: number };
      assert.equal(page.data.length, 100);
      assert.equal(page.total_count, 200);
      let n = 0;
      const result = await measureBurst({ baseUrl: server.baseUrl, label: 'dev', path: () => `/items/${++n}`, size: 50, bursts: 2, countQueries: true });
      assert.equal(result.unavailable, undefined);
      assert.equal(result.failures, 0);
      assert.deepEqual(result.queries, [1, 1], 'single flight: 50 identical misses run one query');
      assert.equal(result.querySource, 'flapi_response_cache_misses_total');
      assert.equal(result.burstMs.length, 2);
      assert.equal(result.singleMs.length, 4);
      assert.ok(result.burstMs.every((ms) => ms > 0));
    } finally {
      await server.stop();
    }
  });

  it('reports a server without a query count as not available, and times the floor\'s bursts without one', async () => {
    const server = await launchServer(
      { args: ['--import', 'tsx', 'bench/servers/koa-hello.ts'], cwd: REPO_ROOT, readyPath: '/', startTimeoutMs: 30_000 },
      () => [],
    );
    try {
      const counted = await measureBurst({ baseUrl: server.baseUrl, label: 'hello', path: () => '/', size: 5, bursts: 1, countQueries: true });
      assert.match(counted.unavailable ?? '', /no query count at \/_flapi\/metrics/);
      const floor = await measureBurst({ baseUrl: server.baseUrl, label: 'hello', path: () => '/', size: 5, bursts: 2, countQueries: false });
      assert.equal(floor.unavailable, undefined);
      assert.deepEqual(floor.queries, []);
      assert.equal(floor.countsQueries, false);
      assert.equal(floor.burstMs.length, 2);
    } finally {
      await server.stop();
    }
  });
});

describe('bench: in-process DuckDB floor', () => {
  it('runs each scenario\'s query on its own pool and reports queries, q/s and its CPU', async () => {
    const work = mkdtempSync(join(tmpdir(), 'flapi-bench-floor-'));
    const parquet = join(work, 'flights.parquet');
    const instance = await DuckDBInstance.create(':memory:', OFFLINE_DUCKDB_OPTIONS);
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT TIMESTAMP '2001-01-01' + INTERVAL (i) MINUTE AS date, i % 60 AS delay, 300 AS distance,
      CASE WHEN i % 2 = 0 THEN 'ORD' ELSE 'ATL' END AS origin, 'LAX' AS destination FROM range(5000) t(i))
      TO '${parquet}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    const floor = await startDuckdbFloor(2, { parquet });
    try {
      for (const kind of ['point', 'list', 'aggregate'] as const) {
        const result = await floor.run(kind, 4, 0.2, 0);
        assert.ok(result.requests > 0, `${kind}: ${result.requests} queries`);
        assert.ok(result.seconds >= 0.2 && result.reqPerSec > 0);
        assert.ok(result.cpuSeconds !== undefined && result.cpuSeconds > 0);
        assert.equal(result.errors, 0);
      }
    } finally {
      await floor.stop();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('bench: cost report', () => {
  const scenario = (id: string, role: Scenario['role'], extra: Partial<Scenario> = {}): Scenario =>
    ({ id, label: id, path: '/', connections: 20, role, ...extra });
  const load = (requests: number, cpuSeconds?: number) => ({
    requests, seconds: 1, reqPerSec: requests, p50Ms: 1, p99Ms: 2, errors: 0, non2xx: 0, ...(cpuSeconds !== undefined ? { cpuSeconds } : {}),
  });
  const base = {
    startedAt: '2026-01-01T00:00:00Z', quick: true, settings: { seconds: 1, warmupSeconds: 0, rounds: 1 }, machine: 'test', durationMs: 1, tools: [],
  };
  const results = (extra: Partial<BenchResults> = {}): BenchResults => ({
    ...base,
    copy: [
      { format: 'csv', rows: 100_000, ms: 100, rowsPerSec: 1_000_000, cpuMs: 80 },
      { format: 'json', rows: 100_000, ms: 200, rowsPerSec: 500_000, cpuMs: 150 },
    ],
    servers: [
      { id: 'koa-hello', label: 'A', scenarios: [{ scenario: scenario('hello', 'floor'), load: load(10_000, 0.5) }] },
      {
        id: 'flapi-dev',
        label: 'C',
        scenarios: [
          { scenario: scenario('point', 'distinct-point', { label: 'c-point', floor: 'point' }), load: load(1000, 1.2) },
          {
            scenario: scenario('repeated', 'repeated', { label: 'c-repeated' }),
            load: load(10_000, 0.4),
            pairs: [{ role: 'floor', label: 'A', reference: load(10_000, 0.45), ratios: [1, 1, 1], cpuRatios: [0.7, 0.9, 1.4] }],
          },
          { scenario: scenario('export-json', 'other', { label: 'c-json', rowsPerRequest: 100_000 }), load: load(4, 1.2) },
          { scenario: scenario('export-csv', 'other', { label: 'c-csv', rowsPerRequest: 100_000 }), load: load(9, 1.8) },
        ],
      },
      { id: 'duckdb-floor', label: 'D', scenarios: [{ scenario: scenario('floor-point', 'duckdb-floor', { floor: 'point' }), load: load(1100, 1.1) }] },
    ],
    ...extra,
  });

  it('puts each scenario\'s CPU per request beside bare Koa\'s and DuckDB doing the same work', () => {
    const report = renderReport(results());
    // 1.2 s / 1000 = 1,200 µs against 50 µs (Koa) + 1,000 µs (DuckDB in-process): 1.14×.
    assert.match(report, /\| c-point \| 20 \| 1,000 \| 1,200 \| 50 \| 1,000 \| 1,100 q\/s \| 1\.14× \|/);
    assert.match(report, /\| c-repeated \| 20 \| 10,000 \| 40 \| 50 \| no query \| +\| 0\.80× \|/);
    // An export is held to DuckDB's COPY of the same rows in the same format: 300,000 µs against 50 + 150,000.
    assert.match(report, /\| c-json \| 20 \| 4 \| 300,000 \| 50 \| 150,000 \| COPY json: 5\.0\/s \| 2\.00× \|/);
    assert.doesNotMatch(report, /\| floor-point \| 20 \| 1,100 \| 1,000 \|/, 'the floor is a column, not a row, of the cost table');
  });

  it('holds repeated reads to bare Koa\'s CPU and exports to COPY of their own format', () => {
    const report = renderReport(results());
    assert.match(report, /✓ repeated reads ≤ 1\.0 × bare Koa's CPU per request — c-repeated: 0\.90× \(40 µs against 45 µs\)/);
    assert.match(report, /✗ exports JSON ≥ 0\.9 × DuckDB COPY \(FORMAT json\) rows\/s — c-json: 0\.80× \(400,000 against 500,000 rows\/s\)/);
    assert.match(report, /✓ exports CSV ≥ 0\.8 × DuckDB COPY \(FORMAT csv\) rows\/s — c-csv: 0\.90× \(900,000 against 1,000,000 rows\/s\)/);
    assert.match(report, /- c-json: 400,000 rows\/s \(20 connections\), 0\.80× of COPY json/);
  });

  it('reports bursts: queries per burst, burst against one request, and bare Koa\'s bursts as the floor', () => {
    const report = renderReport(results({
      bursts: [
        { label: 'A', size: 50, countsQueries: false, queries: [], burstMs: [10, 12, 11], singleMs: [1, 1, 1], failures: 0 },
        { label: 'C', size: 50, countsQueries: true, querySource: 'flapi_response_cache_misses_total', queries: [1, 1, 2], burstMs: [9, 8, 30], singleMs: [5, 6, 4, 5, 5, 5], failures: 0 },
        { label: 'Built', size: 50, countsQueries: true, queries: [], burstMs: [], singleMs: [], failures: 0, unavailable: 'no query count at /_flapi/metrics' },
      ],
    }));
    assert.match(report, /- A: 50 identical requests \(floor, no query\); burst median 11\.0 ms over 3, one request median 1\.0 ms over 3 → 11\.00× the time of one/);
    assert.match(report, /- C: 50 identical requests → queries per burst 1, 1, 2 \(`flapi_response_cache_misses_total`\); burst median 9\.0 ms/);
    assert.match(report, /✗ burst of 50 identical concurrent misses runs 1 query — C: 2 \(most in one of 3 bursts\)/);
    assert.match(report, /✓ burst finishes within 2 × the time of one request — C: 1\.80× \(9\.0 ms against 5\.0 ms; bare Koa: 11\.0 ms against 1\.0 ms\)/);
    assert.match(report, /– burst of 50 identical concurrent misses runs 1 query — Built: n\/a/);
    assert.match(report, /- Built: n\/a \(not available\) \(no query count at \/_flapi\/metrics\)/);
    assert.doesNotMatch(report, /runs 1 query — A/, 'the floor is not held to a query count');
  });

  it('renders the growth table and the validate and build times per project size', () => {
    const cli = (ms: number, exitCode = 0) => ({ command: 'flapi', ms, exitCode, lastLine: exitCode ? 'broken | config' : '' });
    const report = renderReport(results({
      growth: [
        { rows: 1_000_000, generateMs: 900, lookup: load(2000, 2), list: load(300, 1.5), rssMib: 210, peakRssMib: 230 },
        { rows: 30_000_000, unavailable: 'does not start' },
      ],
      growthSettings: { seconds: 2.5, warmupSeconds: 0.5, lookupClients: 20, listClients: 8 },
      endpointScaling: [{ endpoints: 10, validate: cli(900), build: cli(2100) }, { endpoints: 200, validate: cli(3000), build: cli(10, 1) }],
    }));
    assert.match(report, /\| 1,000,000 \| 2,000 \| 1,000 \| 300 \| 5,000 \| 210 MiB \| 230 MiB \| 0\.9 s \|/);
    assert.match(report, /\| 30,000,000 \| n\/a \(not available\) \|.*does not start \|/);
    assert.match(report, /2\.5 s each after 0\.5 s warm-up/);
    assert.match(report, /\| 10 \| 900 ms \| 2,100 ms \|/);
    assert.match(report, /\| 200 \| 3,000 ms \| n\/a \(not available\) \(exit 1: broken \\\| config\) \|/);
  });
});
