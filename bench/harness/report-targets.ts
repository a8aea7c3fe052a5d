/**
 * The performance targets, each printed with its figure and the floor or peer it is held
 * to: ✓ when met, ✗ when not (a missed target never fails the run), – when it could not
 * be measured in this run.
 */
import { BUILT_ON_ARTIFACT, COLD_START_FLOOR, median } from './cold-start.js';
import { cpuMicrosPerRequest } from './proc-cpu.js';
import type { BenchResults } from './report.js';
import { fmt, measured, NA, outcomeOf, pairedRatio, type MeasuredOutcome } from './report-format.js';
import { burstFigures, copyFor } from './report-sections.js';
import type { ScenarioRole } from './scenarios.js';

export const POINT_TARGET = 4;
export const BURST_TIME_TARGET = 2;
export const COLD_START_TARGET = 1.15;
export const JSON_EXPORT_TARGET = 0.9;
export const CSV_EXPORT_TARGET = 0.8;

function line(label: string, measuredValue: number | undefined, bar: number, shown: string, detail = '', atMost = false): string {
  if (measuredValue === undefined) return `- – ${label}: ${NA}`;
  const ok = atMost ? measuredValue <= bar : measuredValue >= bar;
  return `- ${ok ? '✓' : '✗'} ${label}: ${shown}${detail}`;
}

const times = (value: number | undefined): string => (value === undefined ? '' : `${fmt(value, 2)}×`);

/** A throughput ratio to a peer: the paired median when the peer ran right before it, else the ratio of the totals. */
function peerRatio(results: BenchResults, outcome: MeasuredOutcome, role: ScenarioRole): { value?: number; detail: string } {
  const peer = outcomeOf(results, role);
  const paired = pairedRatio(outcome, role);
  const pair = outcome.pairs?.find((p) => p.role === role);
  const reference = pair?.reference ?? peer?.load;
  const value = paired ?? (reference?.reqPerSec ? outcome.load.reqPerSec / reference.reqPerSec : undefined);
  const detail = reference === undefined ? '' : ` (${fmt(outcome.load.reqPerSec)} req/s against ${fmt(reference.reqPerSec)} req/s)`;
  return { ...(value !== undefined ? { value } : {}), detail };
}

function pointTargets(results: BenchResults): string[] {
  const points = measured(results).filter((o) => o.scenario.role === 'distinct-point');
  const peers: [ScenarioRole, string][] = [['baseline-point', '(b) Koa + DuckDB'], ['peer-point', '(b′) Fastify + DuckDB']];
  return peers.flatMap(([role, name]) => {
    const label = `distinct point lookups ≥ ${POINT_TARGET} × ${name}, ${points[0]?.scenario.connections ?? 20} clients`;
    if (points.length === 0) return [line(label, undefined, POINT_TARGET, '')];
    return points.map((o) => {
      const r = peerRatio(results, o, role);
      return line(`${label} — ${o.scenario.label}`, r.value, POINT_TARGET, times(r.value), r.detail);
    });
  });
}

function burstTargets(results: BenchResults): string[] {
  const bursts = (results.bursts ?? []).filter((b) => b.countsQueries);
  if (bursts.length === 0) return [line('burst of 50 identical misses runs 1 query', undefined, 1, '')];
  const floor = (results.bursts ?? []).find((b) => !b.countsQueries && b.unavailable === undefined);
  const floorFigures = floor === undefined ? undefined : burstFigures(floor);
  const floorNote = floorFigures?.burstMs !== undefined && floorFigures.singleMs !== undefined
    ? `; bare Koa: ${fmt(floorFigures.burstMs, 1)} ms against ${fmt(floorFigures.singleMs, 1)} ms`
    : '';
  return bursts.flatMap((b) => {
    const f = b.unavailable === undefined ? burstFigures(b) : {};
    return [
      line(`burst of ${b.size} identical concurrent misses runs 1 query — ${b.label}`, f.maxQueries, 1, `${f.maxQueries ?? ''}`,
        ` (most in one of ${b.queries.length} bursts)`, true),
      line(`burst finishes within ${BURST_TIME_TARGET} × the time of one request — ${b.label}`, f.ratio, BURST_TIME_TARGET, times(f.ratio),
        f.burstMs !== undefined && f.singleMs !== undefined ? ` (${fmt(f.burstMs, 1)} ms against ${fmt(f.singleMs, 1)} ms${floorNote})` : '', true),
    ];
  });
}

function sampledMedian(results: BenchResults, label: string): number | undefined {
  const sampled = results.coldStarts?.find((c) => c.label === label && c.samples.length > 0 && c.unavailable === undefined);
  return sampled ? median(sampled.samples) : undefined;
}

/** The built server's cold start: the median of its samples, else its start-up before the load runs. */
export function builtColdStart(results: BenchResults): number | undefined {
  const sampled = sampledMedian(results, BUILT_ON_ARTIFACT);
  if (sampled !== undefined) return sampled;
  const built = results.servers.find((s) => s.id === 'flapi-built');
  return built?.unavailable ? undefined : built?.startupMs;
}

function coldStartTargets(results: BenchResults): string[] {
  const built = builtColdStart(results);
  const floor = sampledMedian(results, COLD_START_FLOOR);
  const over = built !== undefined && floor ? built / floor : undefined;
  const floorNote = floor === undefined ? '' : ` (the floor, Koa + DuckDB on the same artifact, sampled alternately: ${fmt(floor)} ms)`;
  return [
    line(`built server cold start on a local artifact ≤ ${COLD_START_TARGET} × the floor`, over, COLD_START_TARGET, times(over),
      built !== undefined && floor !== undefined ? ` (${fmt(built)} ms against ${fmt(floor)} ms)` : '', true),
    line('built server cold start on a local artifact < 500 ms', built, 500, `${built === undefined ? '' : fmt(built)} ms`, floorNote, true),
  ];
}

function repeatedTargets(results: BenchResults): string[] {
  const koa = outcomeOf(results, 'floor');
  const koaCpu = koa === undefined ? undefined : cpuMicrosPerRequest(koa.load);
  const repeated = measured(results).filter((o) => o.scenario.role === 'repeated');
  const label = 'repeated reads ≤ 1.0 × bare Koa\'s CPU per request';
  if (repeated.length === 0) return [line(label, undefined, 1, '')];
  return repeated.map((o) => {
    const cpu = cpuMicrosPerRequest(o.load);
    // Beside a paired ratio, bare Koa's figure is that of its runs right before this scenario.
    const pair = o.pairs?.find((p) => p.role === 'floor');
    const reference = pair === undefined ? koaCpu : cpuMicrosPerRequest(pair.reference);
    const value = pairedRatio(o, 'floor', 'cpuRatios') ?? (cpu !== undefined && reference ? cpu / reference : undefined);
    const detail = cpu !== undefined && reference !== undefined ? ` (${fmt(cpu)} µs against ${fmt(reference)} µs)` : '';
    return line(`${label} — ${o.scenario.label}`, value, 1, times(value), detail, true);
  });
}

function exportTargets(results: BenchResults): string[] {
  const bars: [string, number][] = [['json', JSON_EXPORT_TARGET], ['csv', CSV_EXPORT_TARGET]];
  return bars.flatMap(([format, bar]) => {
    const label = `exports ${format.toUpperCase()} ≥ ${bar} × DuckDB COPY (FORMAT ${format}) rows/s`;
    const copy = results.copy.find((c) => c.format === format);
    const exports = measured(results).filter((o) => o.scenario.id === `export-${format}` && o.scenario.rowsPerRequest);
    if (exports.length === 0 || copy === undefined || copyFor(results, `export-${format}`) !== copy) return [line(label, undefined, bar, '')];
    return exports.map((o) => {
      const rowsPerSec = o.load.reqPerSec * o.scenario.rowsPerRequest!;
      const value = rowsPerSec / copy.rowsPerSec;
      return line(`${label} — ${o.scenario.label}`, value, bar, times(value), ` (${fmt(rowsPerSec)} against ${fmt(copy.rowsPerSec)} rows/s)`);
    });
  });
}

export function targets(results: BenchResults): string[] {
  let errors = 0;
  for (const o of measured(results)) errors += o.load.errors + o.load.non2xx;
  return [
    ...pointTargets(results),
    ...burstTargets(results),
    ...coldStartTargets(results),
    ...repeatedTargets(results),
    ...exportTargets(results),
    `- ${errors === 0 ? '✓' : '✗'} zero errors: ${errors} errors / non-2xx over all measured scenarios`,
  ];
}
