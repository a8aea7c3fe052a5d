/**
 * The cost table: each scenario's server CPU per request (from /proc, over the measured
 * windows) beside its two floors, bare Koa's CPU per request and DuckDB doing the same
 * work in-process at the same concurrency (no HTTP), and how far above their sum it is.
 */
import { cpuMicrosPerRequest } from './proc-cpu.js';
import type { BenchResults } from './report.js';
import { duckdbFloorOf, fmt, measured, outcomeOf, type MeasuredOutcome } from './report-format.js';

interface Floor {
  /** CPU per query (or per COPY), in µs. */
  cpuMicros?: number;
  perSecond: number;
  note: string;
}

/** The DuckDB side of a scenario: its in-process floor, DuckDB's COPY for an export, nothing for a cache hit. */
function duckdbSide(results: BenchResults, outcome: MeasuredOutcome): Floor | 'none' | undefined {
  const { scenario } = outcome;
  if (scenario.role === 'floor' || scenario.role === 'repeated') return 'none';
  const floor = duckdbFloorOf(results, scenario);
  if (floor !== undefined) {
    const cpuMicros = cpuMicrosPerRequest(floor.load);
    return { ...(cpuMicros !== undefined ? { cpuMicros } : {}), perSecond: floor.load.reqPerSec, note: `${fmt(floor.load.reqPerSec)} q/s` };
  }
  const format = scenario.id.startsWith('export-') ? scenario.id.slice('export-'.length) : undefined;
  const copy = results.copy.find((c) => c.format === format);
  if (copy === undefined) return undefined;
  return {
    ...(copy.cpuMs !== undefined ? { cpuMicros: copy.cpuMs * 1000 } : {}),
    perSecond: 1000 / copy.ms,
    note: `COPY ${copy.format}: ${fmt(1000 / copy.ms, 1)}/s`,
  };
}

const micros = (value: number | undefined): string => (value === undefined ? '–' : fmt(value));

export function costTable(results: BenchResults): string[] {
  const koa = outcomeOf(results, 'floor');
  const koaCpu = koa === undefined ? undefined : cpuMicrosPerRequest(koa.load);
  const lines = [
    '## Cost per request',
    '',
    'Server CPU (utime + stime of its process tree in `/proc/<pid>/stat`, over the measured windows) per completed request, ' +
      'beside bare Koa\'s and beside DuckDB doing the same work in-process (a child process on a pool of the same size, ' +
      'as many concurrent callers as the scenario has clients, no HTTP; CPU from `process.cpuUsage()`; exports: `COPY` of ' +
      'the same rows). The last column is the server\'s CPU over the sum of its floors.',
    '',
    '| Scenario | clients | req/s | CPU µs/req | bare Koa CPU µs/req | DuckDB same work: CPU µs/query | DuckDB same work: rate | CPU ÷ floors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const outcome of measured(results)) {
    const { scenario, load } = outcome;
    if (scenario.role === 'duckdb-floor') continue;
    const cpu = cpuMicrosPerRequest(load);
    const side = duckdbSide(results, outcome);
    const floorCpu = side === 'none' ? 0 : side?.cpuMicros;
    const floors = koaCpu !== undefined && floorCpu !== undefined ? koaCpu + floorCpu : undefined;
    const over = cpu !== undefined && floors !== undefined && floors > 0 ? `${fmt(cpu / floors, 2)}×` : '–';
    const duckdb = side === 'none' ? 'no query' : micros(side?.cpuMicros);
    const rate = side === 'none' ? '' : side?.note ?? '–';
    lines.push(`| ${scenario.label} | ${scenario.connections} | ${fmt(load.reqPerSec)} | ${micros(cpu)} | ${micros(koaCpu)} | ${duckdb} | ${rate} | ${over} |`);
  }
  return lines;
}
