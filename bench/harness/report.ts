/**
 * Turns one run's measurements into the markdown report: throughput as ratios to the
 * floor (a) and to the hand-written server (b), exports beside DuckDB's own COPY, start-up
 * and memory per server, CLI timings, and the performance targets with ✓/✗.
 */
import type { CliTiming } from './cli-timing.js';
import { BUILT_ON_ARTIFACT, COLD_START_FLOOR, median, type ColdStart } from './cold-start.js';
import type { CopyTiming } from './duckdb-copy.js';
import type { RunSettings, ScenarioOutcome } from './run-scenario.js';
import type { ScenarioRole } from './scenarios.js';

export interface ServerOutcome {
  id: string;
  label: string;
  startupMs?: number;
  peakRssMib?: number;
  unavailable?: string;
  scenarios: ScenarioOutcome[];
}

export interface BenchResults {
  startedAt: string;
  quick: boolean;
  settings: RunSettings;
  machine: string;
  durationMs: number;
  /** 1-minute load average when the run started and when it ended (the machine is shared). */
  loadAverage?: { start: number; end: number };
  servers: ServerOutcome[];
  copy: CopyTiming[];
  tools: CliTiming[];
  /** Repeated cold starts (the built server's target is on the median). */
  coldStarts?: ColdStart[];
  /** Anything about how this run was made that a reader should know. */
  notes?: string[];
}

const NA = 'n/a (not available)';

const fmt = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const ratio = (value: number, base: number | undefined): string => (base ? `${fmt(value / base, 2)}×` : '–');

function reqPerSecOf(results: BenchResults, role: ScenarioRole): number | undefined {
  for (const server of results.servers) {
    for (const outcome of server.scenarios) {
      if (outcome.scenario.role === role && 'load' in outcome) return outcome.load.reqPerSec;
    }
  }
  return undefined;
}

/** The ratio a paired scenario is held to: the median of its rounds' ratios. */
function pairedRatio(outcome: ScenarioOutcome): number | undefined {
  if (!('load' in outcome) || outcome.pairRatios === undefined || outcome.pairRatios.length === 0) return undefined;
  return median(outcome.pairRatios);
}

/** Every measured outcome of a role: one per server that has the scenario. */
function outcomesOf(results: BenchResults, role: ScenarioRole): { label: string; ratio: number | undefined }[] {
  const found: { label: string; ratio: number | undefined }[] = [];
  for (const server of results.servers) {
    for (const outcome of server.scenarios) {
      if (outcome.scenario.role !== role || !('load' in outcome)) continue;
      const base = role === 'repeated' ? reqPerSecOf(results, 'floor') : reqPerSecOf(results, 'baseline-point');
      found.push({ label: outcome.scenario.label, ratio: pairedRatio(outcome) ?? (base ? outcome.load.reqPerSec / base : undefined) });
    }
  }
  return found;
}

function pairedLines(results: BenchResults): string[] {
  const lines: string[] = [];
  for (const server of results.servers) {
    for (const o of server.scenarios) {
      if (!('load' in o) || o.pairRatios === undefined || o.reference === undefined) continue;
      lines.push(`- ${o.scenario.label}: median ${fmt(median(o.pairRatios), 2)}× over ${o.pairRatios.length} rounds ` +
        `(${o.pairRatios.map((r) => `${fmt(r, 2)}×`).join(', ')}); ${fmt(o.load.reqPerSec)} req/s against ${fmt(o.reference.reqPerSec)} req/s`);
    }
  }
  return lines.length ? ['', 'Paired ratios (‡), round by round, each against its reference measured right before it:', '', ...lines] : [];
}

function throughputTable(results: BenchResults, floor?: number, baseline?: number): string[] {
  const lines = [
    '| Scenario | req/s | p50 ms | p99 ms | errors / non-2xx | × (a) | × (b) | rows/s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const server of results.servers) {
    for (const outcome of server.scenarios) {
      const { scenario } = outcome;
      if (!('load' in outcome)) {
        lines.push(`| ${scenario.label} | ${NA} | | | | | | |`);
        continue;
      }
      const { load } = outcome;
      const rows = scenario.rowsPerRequest ? fmt(load.reqPerSec * scenario.rowsPerRequest) : '';
      // A paired reference (measured right before this scenario) stands in for its column, marked ‡.
      const held = pairedRatio(outcome);
      const paired = (role: ScenarioRole, base: number | undefined) =>
        held !== undefined && scenario.role === (role === 'floor' ? 'repeated' : 'distinct-point')
          ? `${fmt(held, 2)}× ‡`
          : ratio(load.reqPerSec, base);
      lines.push(
        `| ${scenario.label} | ${fmt(load.reqPerSec)} | ${fmt(load.p50Ms)} | ${fmt(load.p99Ms)} | ` +
          `${load.errors} / ${load.non2xx} | ${paired('floor', floor)} | ${paired('baseline-point', baseline)} | ${rows} |`,
      );
    }
  }
  return lines;
}

function notAvailableNotes(results: BenchResults): string[] {
  const notes: string[] = [];
  for (const server of results.servers) {
    if (server.unavailable) notes.push(`- ${server.label}: ${server.unavailable}`);
    else for (const o of server.scenarios) if ('unavailable' in o) notes.push(`- ${o.scenario.label}: ${o.unavailable}`);
  }
  return notes.length ? ['', 'Not available in this run:', '', ...notes] : [];
}

function exportSection(results: BenchResults): string[] {
  const copyCsv = results.copy.find((c) => c.format === 'csv');
  const lines = ['## Exports beside DuckDB', ''];
  for (const c of results.copy) {
    lines.push(`- DuckDB \`COPY (SELECT … LIMIT ${fmt(c.rows)}) TO '/dev/null' (FORMAT ${c.format})\` in-process: ` +
      `${fmt(c.ms, 1)} ms, ${fmt(c.rowsPerSec)} rows/s`);
  }
  for (const server of results.servers) {
    for (const o of server.scenarios) {
      if (!o.scenario.rowsPerRequest) continue;
      if (!('load' in o)) {
        lines.push(`- ${o.scenario.label}: ${NA}`);
        continue;
      }
      const rowsPerSec = o.load.reqPerSec * o.scenario.rowsPerRequest;
      lines.push(`- ${o.scenario.label}: ${fmt(rowsPerSec)} rows/s (${o.scenario.connections} connections), ` +
        `${copyCsv ? ratio(rowsPerSec, copyCsv.rowsPerSec) : '–'} of COPY csv`);
    }
  }
  return lines;
}

function serverTable(results: BenchResults): string[] {
  const lines = ['| Server | start-up to first 200 | peak RSS (VmHWM) |', '|---|---:|---:|'];
  for (const s of results.servers) {
    if (s.unavailable) lines.push(`| ${s.label} | ${NA} | |`);
    else lines.push(`| ${s.label} | ${s.startupMs === undefined ? '–' : `${fmt(s.startupMs)} ms`} | ` +
      `${s.peakRssMib === undefined ? '–' : `${fmt(s.peakRssMib)} MiB`} |`);
  }
  return lines;
}

function coldStartLines(results: BenchResults): string[] {
  const lines: string[] = [];
  for (const c of results.coldStarts ?? []) {
    if (c.unavailable !== undefined || c.samples.length === 0) {
      lines.push(`- ${c.label}: ${NA}${c.unavailable ? ` (${c.unavailable})` : ''}`);
      continue;
    }
    const sorted = [...c.samples].sort((a, b) => a - b);
    lines.push(`- ${c.label}: median ${fmt(median(c.samples))} ms over ${c.samples.length} starts ` +
      `(${fmt(sorted[0]!)}–${fmt(sorted[sorted.length - 1]!)} ms), process spawn to first 200 on \`/flights/1\``);
  }
  return lines.length ? ['', 'Cold starts, measured again after the load runs while the other servers sit idle:', '', ...lines] : [];
}

function sampledMedian(results: BenchResults, label: string): number | undefined {
  const sampled = results.coldStarts?.find((c) => c.label === label && c.samples.length > 0 && c.unavailable === undefined);
  return sampled ? median(sampled.samples) : undefined;
}

function builtColdStart(results: BenchResults): number | undefined {
  const sampled = sampledMedian(results, BUILT_ON_ARTIFACT);
  if (sampled !== undefined) return sampled;
  const built = results.servers.find((s) => s.id === 'flapi-built');
  return built?.unavailable ? undefined : built?.startupMs;
}

function floorNote(results: BenchResults): string {
  const floor = sampledMedian(results, COLD_START_FLOOR);
  return floor === undefined ? '' : ` (the floor, Koa + DuckDB on the same artifact, sampled alternately: ${fmt(floor)} ms)`;
}

function toolTable(results: BenchResults): string[] {
  const lines = ['| Command | wall clock | result |', '|---|---:|---|'];
  for (const t of results.tools) {
    const ok = t.exitCode === 0;
    lines.push(`| \`${t.command}\` | ${ok ? `${fmt(t.ms)} ms` : NA} | ${ok ? 'ok' : `exit ${t.exitCode}: ${t.lastLine.replaceAll('|', '\\|')}`} |`);
  }
  return lines;
}

function target(label: string, measured: number | undefined, bar: number, unit: string, atMost = false): string {
  if (measured === undefined) return `- – ${label}: ${NA}`;
  const ok = atMost ? measured <= bar : measured >= bar;
  return `- ${ok ? '✓' : '✗'} ${label}: ${fmt(measured, unit === '×' ? 2 : 0)}${unit}`;
}

function ratioTargets(results: BenchResults, role: ScenarioRole, label: string, bar: number): string[] {
  const found = outcomesOf(results, role);
  if (found.length === 0) return [target(label, undefined, bar, '×')];
  return found.map((o) => target(`${label} — ${o.label}`, o.ratio, bar, '×'));
}

function targets(results: BenchResults): string[] {
  let errors = 0;
  for (const s of results.servers) for (const o of s.scenarios) if ('load' in o) errors += o.load.errors + o.load.non2xx;
  return [
    ...ratioTargets(results, 'repeated', 'repeated reads (response cache) ≥ 0.7 × (a)', 0.7),
    ...ratioTargets(results, 'distinct-point', 'distinct point lookups ≥ 1.0 × (b)', 1.0),
    `- ${errors === 0 ? '✓' : '✗'} zero errors: ${errors} errors / non-2xx over all measured scenarios`,
    target('built server cold start on a local artifact < 500 ms', builtColdStart(results), 500, ' ms', true) + floorNote(results),
  ];
}

export function renderReport(results: BenchResults): string {
  const floor = reqPerSecOf(results, 'floor');
  const baseline = reqPerSecOf(results, 'baseline-point');
  const mode = results.quick ? 'quick (development) run' : 'full run';
  return [
    '# flapi benchmark',
    '',
    `${results.startedAt} · ${mode} · ${results.machine} · ${results.settings.seconds} s per scenario in ` +
      `${results.settings.rounds} interleaved round(s), after ${results.settings.warmupSeconds} s warm-up · ` +
      `all servers up together, measured one at a time · autocannon in-process, 1 worker · everything on 127.0.0.1 · ` +
      `whole run ${fmt(results.durationMs / 1000, 1)} s · ` +
      (results.loadAverage ? `load average ${fmt(results.loadAverage.start, 2)} at the start, ${fmt(results.loadAverage.end, 2)} at the end (this run included) · ` : '') +
      `latencies at autocannon's 1 ms resolution`,
    '',
    '## Throughput',
    '',
    ...throughputTable(results, floor, baseline),
    ...pairedLines(results),
    ...notAvailableNotes(results),
    '',
    ...exportSection(results),
    '',
    '## Servers',
    '',
    ...serverTable(results),
    ...coldStartLines(results),
    '',
    '## Tooling',
    '',
    ...toolTable(results),
    ...(results.notes?.length ? ['', ...results.notes.map((n) => `- ${n}`)] : []),
    '',
    '## Targets',
    '',
    ...targets(results),
    '',
    '‡ median over the rounds of the ratio to the reference measured immediately before this scenario (drift on a shared machine cancels out); the (a) and (b) rows are their own slots in the rounds.',
    '',
  ].join('\n');
}
