/**
 * Smoke test of the benchmark harness pieces (no timing assertions): the hello server
 * starts on a loopback port and answers, a short load run counts real responses, a
 * missing feature is reported as not available, memory is read from /proc, and the
 * report renders ratios, n/a rows and targets from the numbers it is given.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freeLoopbackPort } from '../bench/harness/free-port.js';
import { REPO_ROOT } from '../bench/harness/flights-table.js';
import { measureLoad } from '../bench/harness/load-test.js';
import { COLD_START_FLOOR } from '../bench/harness/cold-start.js';
import { renderReport } from '../bench/harness/report.js';
import { runRounds } from '../bench/harness/run-rounds.js';
import { exportScenarios, helloScenarios, randomFlightPath, type Scenario } from '../bench/harness/scenarios.js';
import { launchServer, type RunningServer } from '../bench/harness/server-process.js';
import { treeCpuSeconds } from '../bench/harness/proc-cpu.js';

describe('bench harness', () => {
  let server: RunningServer;

  before(async () => {
    server = await launchServer(
      { args: ['--import', 'tsx', 'bench/servers/koa-hello.ts'], cwd: REPO_ROOT, readyPath: '/', startTimeoutMs: 30_000 },
      () => [],
    );
  });

  after(async () => {
    await server?.stop();
  });

  it('finds a free loopback port', async () => {
    const port = await freeLoopbackPort();
    assert.ok(port > 0 && port < 65536);
  });

  it('starts the hello server on loopback and reads its peak memory', async () => {
    assert.match(server.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(server.baseUrl + '/');
    assert.deepEqual(await response.json(), { hello: 'world' });
    assert.ok(server.startupMs > 0);
    const rss = server.peakRssMib();
    assert.ok(rss !== undefined && rss > 10, `peak RSS ${rss}`);
  });

  it('measures a short load run with a fresh path per request', async () => {
    const seen = new Set<string>();
    const result = await measureLoad({
      baseUrl: server.baseUrl,
      path: () => {
        const path = randomFlightPath();
        seen.add(path);
        return path;
      },
      connections: 2,
      seconds: 0.3,
      warmupSeconds: 0,
    });
    assert.ok(result.requests > 0);
    assert.equal(result.errors, 0);
    // The hello server answers every path with 200.
    assert.equal(result.non2xx, 0);
    assert.ok(seen.size > 1, 'paths are drawn per request');
  });

  it('runs rounds with each server\'s CPU, and reports a format the server does not speak as not available', async () => {
    const cpuSeconds = () => treeCpuSeconds(server.pid);
    const hello = { serverId: 'hello', baseUrl: server.baseUrl, cpuSeconds, scenario: { ...helloScenarios[0]!, connections: 2 } };
    const csv = { serverId: 'hello', baseUrl: server.baseUrl, scenario: { ...exportScenarios('hello')[1]!, path: '/export?format=csv' } };
    const repeated = { serverId: 'hello', baseUrl: server.baseUrl, cpuSeconds, scenario: { ...helloScenarios[0]!, id: 'again', role: 'repeated' as const, connections: 2 } };
    const jobs: number[] = [];
    const inProcess = {
      serverId: 'floor',
      scenario: { ...helloScenarios[0]!, id: 'job', role: 'duckdb-floor' as const, path: '' },
      measure: async (seconds: number) => {
        jobs.push(seconds);
        return { requests: 10, seconds, reqPerSec: 10 / seconds, p50Ms: 1, p99Ms: 2, errors: 0, non2xx: 0, cpuSeconds: 0.01 };
      },
    };
    const outcomes = await runRounds([hello, csv, repeated, inProcess], { seconds: 0.4, warmupSeconds: 0, rounds: 2 }, () => {});
    const again = outcomes.get(repeated)!;
    assert.ok('load' in again && again.pairs?.length === 1, 'a ratio scenario gets its reference measured beside it');
    const pair = again.pairs[0]!;
    assert.equal(pair.role, 'floor');
    assert.ok(pair.reference.requests > 0 && pair.reference.seconds > 0.3, 'in every round');
    assert.equal(pair.ratios.length, 2);
    assert.ok(pair.ratios.every((r) => r > 0));
    assert.equal(pair.cpuRatios?.length, 2, 'CPU per request is compared round by round too');
    assert.ok(again.load.cpuSeconds !== undefined && again.load.cpuSeconds > 0, `the server's CPU is read: ${again.load.cpuSeconds}`);
    const measured = outcomes.get(hello)!;
    assert.ok('load' in measured && measured.load.requests > 0 && measured.load.seconds > 0.3);
    assert.equal(measured.load.requests, pair.reference.requests, 'a reference has no slot of its own: its row is its paired runs');
    assert.equal(measured.pairs, undefined, 'the floor itself has no reference');
    const missing = outcomes.get(csv)!;
    assert.ok('unavailable' in missing);
    assert.match(missing.unavailable, /not text\/csv/);
    assert.deepEqual(jobs, [0.2, 0.2], 'an in-process target runs its own window, unprobed, once a round');
    const job = outcomes.get(inProcess)!;
    assert.ok('load' in job && job.load.requests === 20 && job.load.cpuSeconds === 0.02);
  });

  it('stops the server', async () => {
    await server.stop();
    await assert.rejects(fetch(server.baseUrl + '/'));
  });
});

describe('bench report', () => {
  const scenario = (id: string, role: Scenario['role']): Scenario => ({ id, label: id, path: '/', connections: 1, role });
  const load = (reqPerSec: number, non2xx = 0) => ({ requests: reqPerSec, seconds: 1, reqPerSec, p50Ms: 1, p99Ms: 2, errors: 0, non2xx });

  it('renders ratios to (a) and (b), n/a rows and targets', () => {
    const report = renderReport({
      startedAt: '2026-01-01T00:00:00Z',
      quick: true,
      settings: { seconds: 1, warmupSeconds: 0, rounds: 1 },
      machine: 'test',
      durationMs: 1000,
      copy: [{ format: 'csv', rows: 100, ms: 1, rowsPerSec: 100_000 }],
      tools: [{ command: 'flapi build', ms: 5, exitCode: 2, lastLine: 'not available yet' }],
      servers: [
        { id: 'a', label: 'A', startupMs: 10, peakRssMib: 50, scenarios: [{ scenario: scenario('hello', 'floor'), load: load(1000) }] },
        { id: 'b', label: 'B', scenarios: [{ scenario: scenario('b-point', 'baseline-point'), load: load(200) }] },
        {
          id: 'c',
          label: 'C',
          scenarios: [
            { scenario: scenario('c-point', 'distinct-point'), load: load(300) },
            { scenario: scenario('c-repeated', 'repeated'), load: load(600, 3) },
            { scenario: { ...scenario('c-csv', 'other'), rowsPerRequest: 100 }, unavailable: 'HTTP 406' },
          ],
        },
        { id: 'flapi-built', label: 'Built', unavailable: 'not built', scenarios: [] },
      ],
    });
    assert.match(report, /\| c-point \| 1 \| 300 \| 1 \| 2 \| 0 \/ 0 \| 0\.30× \| 1\.50× \| – \| +\|/);
    assert.match(report, /\| c-csv \| 1 \| n\/a \(not available\) \|/);
    assert.match(report, /✗ distinct point lookups ≥ 4 × \(b\) Koa \+ DuckDB, 1 clients — c-point: 1\.50× \(300 req\/s against 200 req\/s\)/);
    assert.match(report, /– distinct point lookups ≥ 4 × \(b′\) Fastify \+ DuckDB, 1 clients — c-point: n\/a/);
    assert.match(report, /– repeated reads ≤ 1\.0 × bare Koa's CPU per request — c-repeated: n\/a/, 'no CPU was read');
    assert.match(report, /✗ zero errors: 3 errors/);
    assert.match(report, /– built server cold start on a local artifact < 500 ms: n\/a/);
    assert.match(report, /`flapi build` \| n\/a \(not available\) \| exit 2: not available yet/);
  });

  it('takes a paired reference over the round-level one for ratio targets', () => {
    const report = renderReport({
      startedAt: '2026-01-01T00:00:00Z', quick: false, settings: { seconds: 1, warmupSeconds: 0, rounds: 1 }, machine: 'test',
      durationMs: 1, copy: [], tools: [],
      servers: [
        { id: 'a', label: 'A', scenarios: [{ scenario: scenario('hello', 'floor'), load: load(1000) }] },
        {
          id: 'c',
          label: 'C',
          scenarios: [
            { scenario: scenario('c-point', 'distinct-point'), load: load(4500), pairs: [
              { role: 'baseline-point', label: 'B', reference: load(1000), ratios: [4.5, 3.9, 4.2] },
              { role: 'peer-point', label: 'F', reference: load(1200), ratios: [3.5, 3.8, 2.0] },
            ] },
          ],
        },
        { id: 'b', label: 'B', scenarios: [{ scenario: scenario('b-point', 'baseline-point'), load: load(1000) }] },
      ],
    });
    // The median of the rounds' ratios: one spoiled round does not sink it.
    assert.match(report, /\| c-point \| 1 \| 4,500 \| 1 \| 2 \| 0 \/ 0 \| 4\.50× \| 4\.20× ‡ \| 3\.50× ‡ \|/);
    assert.match(report, /✓ distinct point lookups ≥ 4 × \(b\) Koa \+ DuckDB, 1 clients — c-point: 4\.20× \(4,500 req\/s against 1,000 req\/s\)/);
    assert.match(report, /✗ distinct point lookups ≥ 4 × \(b′\) Fastify \+ DuckDB, 1 clients — c-point: 3\.50× \(4,500 req\/s against 1,200 req\/s\)/);
    assert.match(report, /- c-point against F: median 3\.50× over 3 rounds \(3\.50×, 3\.80×, 2\.00×\); 4,500 req\/s against 1,200 req\/s/);
  });

  it('takes the built server cold start from the median of its samples', () => {
    const base = {
      startedAt: '2026-01-01T00:00:00Z', quick: false, settings: { seconds: 1, warmupSeconds: 0, rounds: 1 }, machine: 'test',
      durationMs: 1, copy: [], tools: [], servers: [],
    };
    const fast = renderReport({
      ...base,
      loadAverage: { start: 0.5, end: 2.25 },
      coldStarts: [
        { label: 'built server on a local artifact', samples: [400, 300, 900] },
        { label: COLD_START_FLOOR, samples: [250, 260] },
      ],
    });
    assert.match(fast, /built server on a local artifact: median 400 ms over 3 starts \(300–900 ms\)/);
    assert.match(fast, /load average 0\.50 at the start, 2\.25 at the end/);
    assert.match(fast, /✓ built server cold start on a local artifact < 500 ms: 400 ms \(the floor, Koa \+ DuckDB on the same artifact, sampled alternately: 255 ms\)/);
    assert.match(fast, /✗ built server cold start on a local artifact ≤ 1\.15 × the floor: 1\.57× \(400 ms against 255 ms\)/);
    const slow = renderReport({
      ...base,
      coldStarts: [{ label: 'built server on a local artifact', samples: [600, 700] }, { label: 'init', samples: [], unavailable: 'no build' }],
      notes: ['artifact written by the bench'],
    });
    assert.match(slow, /✗ built server cold start on a local artifact < 500 ms: 650 ms/);
    assert.match(slow, /– built server cold start on a local artifact ≤ 1\.15 × the floor: n\/a/);
    assert.match(slow, /- init: n\/a \(not available\) \(no build\)/);
    assert.match(slow, /- artifact written by the bench/);
  });
});
