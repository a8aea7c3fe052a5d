/**
 * Turns one run's measurements into the markdown report: throughput as ratios to the
 * floor (a) and to the hand-written peers (b, b′), the cost per request beside its floors,
 * exports beside DuckDB's own COPY, the burst of identical misses, growth with the data
 * and the project, start-up and memory per server, CLI timings, and the performance
 * targets with ✓/✗.
 */
import type { BurstResult } from './burst.js';
import type { CliTiming } from './cli-timing.js';
import { median, type ColdStart } from './cold-start.js';
import type { CopyTiming } from './duckdb-copy.js';
import type { EndpointScaling, GrowthRow } from './growth.js';
import { costTable } from './report-cost.js';
import { fmt, NA, pairedRatio, ratio, reqPerSecOf } from './report-format.js';
import { burstSection, exportSection, growthSection } from './report-sections.js';
import { targets } from './report-targets.js';
import type { RunSettings } from './run-scenario.js';
import type { ScenarioOutcome } from './run-scenario.js';
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
  bursts?: BurstResult[];
  growth?: GrowthRow[];
  growthSettings?: { seconds: number; warmupSeconds: number; lookupClients: number; listClients: number };
  endpointScaling?: EndpointScaling[];
  /** Anything about how this run was made that a reader should know. */
  notes?: string[];
}

/** The roles a scenario's throughput is shown against, one column each. */
const COLUMNS: { role: ScenarioRole; heading: string }[] = [
  { role: 'floor', heading: '× (a)' },
  { role: 'baseline-point', heading: '× (b)' },
  { role: 'peer-point', heading: '× (b′)' },
];

function pairedLines(results: BenchResults): string[] {
  const lines: string[] = [];
  for (const server of results.servers) {
    for (const o of server.scenarios) {
      if (!('load' in o)) continue;
      for (const pair of o.pairs ?? []) {
        lines.push(`- ${o.scenario.label} against ${pair.label}: median ${fmt(median(pair.ratios), 2)}× over ${pair.ratios.length} rounds ` +
          `(${pair.ratios.map((r) => `${fmt(r, 2)}×`).join(', ')}); ${fmt(o.load.reqPerSec)} req/s against ${fmt(pair.reference.reqPerSec)} req/s`);
      }
    }
  }
  return lines.length ? ['', 'Paired ratios (‡), round by round, each against its reference measured right before it:', '', ...lines] : [];
}

function throughputTable(results: BenchResults): string[] {
  const bases = COLUMNS.map((c) => reqPerSecOf(results, c.role));
  const lines = [
    `| Scenario | clients | req/s | p50 ms | p99 ms | errors / non-2xx | ${COLUMNS.map((c) => c.heading).join(' | ')} | rows/s |`,
    `|---|---:|---:|---:|---:|---:|${COLUMNS.map(() => '---:|').join('')}---:|`,
  ];
  for (const server of results.servers) {
    for (const outcome of server.scenarios) {
      const { scenario } = outcome;
      if (!('load' in outcome)) {
        lines.push(`| ${scenario.label} | ${scenario.connections} | ${NA} | | | |${COLUMNS.map(() => ' |').join('')} |`);
        continue;
      }
      const { load } = outcome;
      const rows = scenario.rowsPerRequest ? fmt(load.reqPerSec * scenario.rowsPerRequest) : '';
      // A paired reference (measured right before this scenario) stands in for its column, marked ‡.
      const cells = COLUMNS.map((c, i) => {
        const held = pairedRatio(outcome, c.role);
        return held !== undefined ? `${fmt(held, 2)}× ‡` : ratio(load.reqPerSec, bases[i]);
      });
      lines.push(`| ${scenario.label} | ${scenario.connections} | ${fmt(load.reqPerSec)} | ${fmt(load.p50Ms)} | ${fmt(load.p99Ms)} | ` +
        `${load.errors} / ${load.non2xx} | ${cells.join(' | ')} | ${rows} |`);
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

function toolTable(results: BenchResults): string[] {
  const lines = ['| Command | wall clock | result |', '|---|---:|---|'];
  for (const t of results.tools) {
    const ok = t.exitCode === 0;
    lines.push(`| \`${t.command}\` | ${ok ? `${fmt(t.ms)} ms` : NA} | ${ok ? 'ok' : `exit ${t.exitCode}: ${t.lastLine.replaceAll('|', '\\|')}`} |`);
  }
  return lines;
}

const section = (lines: string[]): string[] => (lines.length ? ['', ...lines] : []);

export function renderReport(results: BenchResults): string {
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
    ...throughputTable(results),
    ...pairedLines(results),
    ...notAvailableNotes(results),
    '',
    ...costTable(results),
    '',
    ...exportSection(results),
    ...section(burstSection(results)),
    ...section(growthSection(results)),
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
    '‡ median over the rounds of the ratio to the reference measured immediately before this scenario (drift on a shared machine cancels out); ' +
      'a reference that scenarios are paired with has no slot of its own: its row is all its paired runs together.',
    '',
  ].join('\n');
}
