/**
 * The report's sections beside the main tables: exports against DuckDB's own COPY, the
 * burst of identical misses, and how costs grow with the data and the project.
 */
import type { BurstResult } from './burst.js';
import { median } from './cold-start.js';
import type { EndpointScaling, GrowthRow } from './growth.js';
import { cpuMicrosPerRequest } from './proc-cpu.js';
import type { BenchResults } from './report.js';
import { fmt, NA, ratio } from './report-format.js';

/** The COPY an export is held to: the same format, CSV for a format DuckDB cannot COPY to. */
export function copyFor(results: BenchResults, scenarioId: string) {
  const format = scenarioId.startsWith('export-') ? scenarioId.slice('export-'.length) : undefined;
  return results.copy.find((c) => c.format === format) ?? results.copy.find((c) => c.format === 'csv');
}

export function exportSection(results: BenchResults): string[] {
  const lines = ['## Exports beside DuckDB', ''];
  for (const c of results.copy) {
    lines.push(`- DuckDB \`COPY (SELECT … LIMIT ${fmt(c.rows)}) TO '/dev/null' (FORMAT ${c.format})\` in-process: ` +
      `${fmt(c.ms, 1)} ms, ${fmt(c.rowsPerSec)} rows/s${c.cpuMs === undefined ? '' : `, ${fmt(c.cpuMs, 1)} ms CPU`}`);
  }
  for (const server of results.servers) {
    for (const o of server.scenarios) {
      if (!o.scenario.rowsPerRequest) continue;
      if (!('load' in o)) {
        lines.push(`- ${o.scenario.label}: ${NA}`);
        continue;
      }
      const rowsPerSec = o.load.reqPerSec * o.scenario.rowsPerRequest;
      const copy = copyFor(results, o.scenario.id);
      lines.push(`- ${o.scenario.label}: ${fmt(rowsPerSec)} rows/s (${o.scenario.connections} connections), ` +
        `${copy ? `${ratio(rowsPerSec, copy.rowsPerSec)} of COPY ${copy.format}` : '–'}`);
    }
  }
  return lines;
}

/** The most queries any burst ran, the median burst and single request, and their ratio. */
export function burstFigures(b: BurstResult): { maxQueries?: number; burstMs?: number; singleMs?: number; ratio?: number } {
  const burstMs = b.burstMs.length ? median(b.burstMs) : undefined;
  const singleMs = b.singleMs.length ? median(b.singleMs) : undefined;
  return {
    ...(b.queries.length ? { maxQueries: Math.max(...b.queries) } : {}),
    ...(burstMs !== undefined ? { burstMs } : {}),
    ...(singleMs !== undefined ? { singleMs } : {}),
    ...(burstMs !== undefined && singleMs ? { ratio: burstMs / singleMs } : {}),
  };
}

export function burstSection(results: BenchResults): string[] {
  if (!results.bursts?.length) return [];
  const lines = [
    '## Burst: identical concurrent misses',
    '',
    'Each burst sends one request not asked before (a fresh id) from 50 clients at once (`node:http`, keep-alive); single ' +
      'requests with fresh ids are timed between the bursts. Queries are counted by the server (`/_flapi/metrics`, before ' +
      'and after each burst). The same bursts on bare Koa are the floor: 50 requests\' HTTP alone, client included.',
    '',
  ];
  for (const b of results.bursts) {
    if (b.unavailable !== undefined) {
      lines.push(`- ${b.label}: ${NA} (${b.unavailable})`);
      continue;
    }
    const f = burstFigures(b);
    const queries = b.countsQueries ? ` → queries per burst ${b.queries.join(', ') || '–'}${b.querySource ? ` (\`${b.querySource}\`)` : ''}` : ' (floor, no query)';
    lines.push(`- ${b.label}: ${b.size} identical requests${queries}; burst median ${f.burstMs === undefined ? '–' : `${fmt(f.burstMs, 1)} ms`} ` +
      `over ${b.burstMs.length}, one request median ${f.singleMs === undefined ? '–' : `${fmt(f.singleMs, 1)} ms`} over ${b.singleMs.length}` +
      `${f.ratio === undefined ? '' : ` → ${fmt(f.ratio, 2)}× the time of one`}${b.failures ? `; ${b.failures} answers not 200` : ''}`);
  }
  return lines;
}

const cpuCell = (load: GrowthRow['lookup']): string => {
  const cpu = load === undefined ? undefined : cpuMicrosPerRequest(load);
  return cpu === undefined ? '–' : fmt(cpu);
};

function growthRows(rows: readonly GrowthRow[]): string[] {
  const lines = [
    '| rows | point lookup req/s | lookup CPU µs/req | list page req/s | list CPU µs/req | RSS after | peak RSS | generated in |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const g of rows) {
    if (g.unavailable !== undefined || g.lookup === undefined || g.list === undefined) {
      lines.push(`| ${fmt(g.rows)} | ${NA} | | | | | | ${g.unavailable?.replaceAll('|', '\\|') ?? ''} |`);
      continue;
    }
    const errors = g.lookup.errors + g.lookup.non2xx + g.list.errors + g.list.non2xx;
    lines.push(`| ${fmt(g.rows)} | ${fmt(g.lookup.reqPerSec)} | ${cpuCell(g.lookup)} | ${fmt(g.list.reqPerSec)} | ${cpuCell(g.list)} | ` +
      `${g.rssMib === undefined ? '–' : `${fmt(g.rssMib)} MiB`} | ${g.peakRssMib === undefined ? '–' : `${fmt(g.peakRssMib)} MiB`} | ` +
      `${g.generateMs === undefined ? '–' : `${fmt(g.generateMs / 1000, 1)} s`}${errors ? ` (${errors} errors / non-2xx)` : ''} |`);
  }
  return lines;
}

function scalingRows(rows: readonly EndpointScaling[]): string[] {
  const cell = (t: EndpointScaling['validate']) => (t.exitCode === 0 ? `${fmt(t.ms)} ms` : `${NA} (exit ${t.exitCode}: ${t.lastLine.replaceAll('|', '\\|')})`);
  return [
    '| endpoints | `flapi validate` | `flapi build` |',
    '|---:|---:|---:|',
    ...rows.map((r) => `| ${r.endpoints} | ${cell(r.validate)} | ${cell(r.build)} |`),
  ];
}

export function growthSection(results: BenchResults): string[] {
  const lines: string[] = [];
  if (results.growth?.length) {
    lines.push('## Growth', '',
      `\`flapi dev\` of a temporary project on a generated table (DuckDB \`range()\`, stored in id order, index on \`id\`, ` +
        `opened read-only from a database file): point lookups by id (${results.growthSettings?.lookupClients ?? 20} clients) and ` +
        `100-row list pages of one of 5 categories (each counted before the run) at any offset in its first 20 pages (${results.growthSettings?.listClients ?? 8} clients), ` +
        `${results.growthSettings ? `${fmt(results.growthSettings.seconds, 1)} s each after ${fmt(results.growthSettings.warmupSeconds, 1)} s warm-up, ` : ''}` +
        'then the server\'s resident memory.', '', ...growthRows(results.growth));
  }
  if (results.endpointScaling?.length) {
    lines.push(...(lines.length ? [''] : []), 'Generated projects (bench/harness/generated-endpoints.ts), CLI start to exit:', '', ...scalingRows(results.endpointScaling));
  }
  return lines;
}
