/**
 * `npm run bench`: every server on loopback, one after another in one run, measured with
 * autocannon; the table goes to bench/results/latest.md and stdout.
 *
 *   npm run bench                 full run (5 interleaved rounds of 1.8 s per scenario, under 8 minutes)
 *   npm run bench -- --quick      development run (1.5 s per scenario, smaller growth table)
 *   npm run bench -- --only=koa-hello,flapi-dev,duckdb-floor --no-build --no-growth
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareBuiltProject } from './harness/built-project.js';
import { timeCli, type CliTiming } from './harness/cli-timing.js';
import { BUILT_ON_ARTIFACT, COLD_START_FLOOR, measureColdStartPair, measureColdStarts, type ColdStart } from './harness/cold-start.js';
import { measureDuckdbCopy } from './harness/duckdb-copy.js';
import { REPO_ROOT } from './harness/flights-table.js';
import { LIST_CLIENTS, LOOKUP_CLIENTS, measureEndpointScaling, measureGrowth, type EndpointScaling, type GrowthRow, type GrowthSettings } from './harness/growth.js';
import { measureServers } from './harness/measure-servers.js';
import { renderReport } from './harness/report.js';
import type { RunSettings } from './harness/run-scenario.js';
import { EXPORT_ROWS } from './harness/scenarios.js';
import { builtServerSpec, coldStartFloorSpec, type BenchContext } from './harness/server-list.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-growth': { type: 'boolean', default: false },
  },
});

const quick = flags.quick === true;
const settings: RunSettings = quick
  ? { seconds: 1.5, warmupSeconds: 0.5, rounds: 1 }
  : { seconds: 9, warmupSeconds: 1, rounds: 5 };
/** The growth table's sizes and its shorter runs (one per size: the ratios that matter are within a size). */
const growthSettings: GrowthSettings = quick
  ? { rows: [100_000, 1_000_000, 3_000_000], seconds: 1, warmupSeconds: 0.5 }
  : { rows: [1_000_000, 10_000_000, 30_000_000], seconds: 2, warmupSeconds: 0.5 };
const ENDPOINT_COUNTS = [10, 50, 200];
const only = flags.only?.split(',').map((s) => s.trim()).filter(Boolean);
const runStarted = performance.now();
/** Progress on stderr, with the time into the run: the whole run is held to 8 minutes. */
const log = (line: string): void =>
  void process.stderr.write(`bench [${((performance.now() - runStarted) / 1000).toFixed(0).padStart(3)} s]: ${line}\n`);

function build(): void {
  log('building dist/ (tsc, then the runtime bundle the built server vendors)');
  const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  // tsc still emits on type errors elsewhere in the tree; the servers that work are measured.
  if (result.status !== 0) log(`build reported errors (continuing with what was emitted):\n${result.stdout.slice(0, 1500)}`);
  // Without the bundle, `flapi build` refuses a runtime older than what tsc just emitted.
  const bundle = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/bundle-runtime.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (bundle.status !== 0) log(`bundling the runtime failed:\n${(bundle.stderr || bundle.stdout).slice(0, 1500)}`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const startedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  if (!flags['no-build']) build();

  const tools: CliTiming[] = [];
  const notes: string[] = [];
  log('timing flapi validate');
  tools.push(await timeCli(['bin/flapi.js', 'validate', 'examples/flights'], REPO_ROOT));
  const buildOut = mkdtempSync(join(tmpdir(), 'flapi-bench-build-'));
  const context: BenchContext = {};
  try {
    log('timing flapi build');
    const buildTiming = await timeCli(['bin/flapi.js', 'build', 'examples/flights', '--out', buildOut], REPO_ROOT);
    tools.push({ ...buildTiming, command: 'flapi build examples/flights --out <tmp>' });
    if (buildTiming.exitCode !== 0) context.built = { unavailable: `flapi build failed: ${buildTiming.lastLine}` };
    else {
      log('compiling the build output offline and writing its local artifact');
      try {
        const built = await prepareBuiltProject(buildOut);
        context.built = built;
        tools.push({ command: 'npm run build (tsc) in the build output, offline', ms: built.compileMs, exitCode: 0, lastLine: '' });
        if (built.artifactSource === 'bench') {
          notes.push('The local artifact is written by the bench (the tables of the project\'s `init`, with artifact metadata): `flapi bake` did not succeed.');
        }
      } catch (err) {
        context.built = { unavailable: (err as Error).message.slice(0, 300) };
      }
    }

    log('measuring DuckDB COPY baseline in-process');
    const copy = await measureDuckdbCopy(EXPORT_ROWS, quick ? 2 : 5);

    const { servers, bursts } = await measureServers({ context, settings, ...(only ? { only } : {}), bursts: quick ? 3 : 10, log });

    log('cold starts of the built server');
    const coldStarts: ColdStart[] = [];
    const onArtifact = builtServerSpec(context);
    const floor = coldStartFloorSpec(context);
    if ('unavailable' in onArtifact || 'unavailable' in floor) {
      const reason = 'unavailable' in onArtifact ? onArtifact.unavailable : (floor as { unavailable: string }).unavailable;
      coldStarts.push({ label: BUILT_ON_ARTIFACT, samples: [], unavailable: reason });
    } else {
      coldStarts.push(...(await measureColdStartPair({ label: BUILT_ON_ARTIFACT, spec: onArtifact }, { label: COLD_START_FLOOR, spec: floor }, quick ? 3 : 7)));
    }
    const onInit = builtServerSpec(context, false);
    const INIT_LABEL = 'built server, tables loaded by `init` from Parquet (no artifact)';
    coldStarts.push('unavailable' in onInit ? { label: INIT_LABEL, samples: [], unavailable: onInit.unavailable } : await measureColdStarts(INIT_LABEL, onInit, () => [], quick ? 1 : 3));

    let growth: GrowthRow[] = [];
    let endpointScaling: EndpointScaling[] = [];
    if (!flags['no-growth'] && !only) {
      growth = await measureGrowth(growthSettings, log);
      endpointScaling = await measureEndpointScaling(ENDPOINT_COUNTS, log);
    }

    const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
    const report = renderReport({
      startedAt,
      quick,
      settings,
      machine: `${availableParallelism()} × ${cpu}, Node ${process.version}`,
      loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
      durationMs: performance.now() - started,
      servers,
      copy,
      tools,
      coldStarts,
      bursts,
      growth,
      growthSettings: { seconds: growthSettings.seconds, warmupSeconds: growthSettings.warmupSeconds, lookupClients: LOOKUP_CLIENTS, listClients: LIST_CLIENTS },
      endpointScaling,
      notes,
    });
    const file = join(REPO_ROOT, 'bench/results', quick || only ? 'quick.md' : 'latest.md');
    writeFileSync(file, report);
    process.stdout.write(report);
    log(`written to ${file}`);
  } finally {
    rmSync(buildOut, { recursive: true, force: true });
  }
}

await main();
