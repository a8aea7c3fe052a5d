/**
 * `npm run bench`: every server on loopback, one after another in one run, measured with
 * autocannon; the table goes to bench/results/latest.md and stdout.
 *
 *   npm run bench                 full run (7 interleaved rounds of 2 s per scenario, about 6 minutes)
 *   npm run bench -- --quick      development run (1.5 s per scenario)
 *   npm run bench -- --only=koa-hello,flapi-dev --no-build
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
import { renderReport, type ServerOutcome } from './harness/report.js';
import { runRounds, type ScenarioTarget } from './harness/run-rounds.js';
import type { RunSettings } from './harness/run-scenario.js';
import { EXPORT_ROWS } from './harness/scenarios.js';
import { builtServerSpec, coldStartFloorSpec, SERVERS, type BenchContext, type ServerEntry } from './harness/server-list.js';
import { launchServer, type RunningServer } from './harness/server-process.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});

const quick = flags.quick === true;
const settings: RunSettings = quick
  ? { seconds: 1.5, warmupSeconds: 0.5, rounds: 1 }
  : { seconds: 14, warmupSeconds: 1, rounds: 7 };
const only = flags.only?.split(',').map((s) => s.trim()).filter(Boolean);
const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);

function build(): void {
  log('building dist/ (tsc -p tsconfig.build.json)');
  const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  // tsc still emits on type errors elsewhere in the tree; the servers that work are measured.
  if (result.status !== 0) log(`build reported errors (continuing with what was emitted):\n${result.stdout.slice(0, 1500)}`);
}

interface Started {
  entry: ServerEntry;
  outcome: ServerOutcome;
  server?: RunningServer;
}

/** Starts one server (its start-up time is measured while the others sit idle). */
async function startEntry(entry: ServerEntry, context: BenchContext): Promise<Started> {
  const outcome: ServerOutcome = { id: entry.id, label: entry.label, scenarios: [] };
  const spec = entry.prepare(context);
  if ('unavailable' in spec) {
    outcome.unavailable = spec.unavailable;
    return { entry, outcome };
  }
  log(`starting ${entry.label}`);
  try {
    const server = await launchServer(spec, (port) => entry.portFlag(port));
    outcome.startupMs = server.startupMs;
    return { entry, outcome, server };
  } catch (err) {
    outcome.unavailable = `does not start: ${(err as Error).message.replace(/\s+/g, ' ').slice(0, 300)}`;
    return { entry, outcome };
  }
}

async function measureServers(context: BenchContext): Promise<ServerOutcome[]> {
  const started: Started[] = [];
  try {
    for (const entry of SERVERS) {
      if (only && !only.includes(entry.id)) continue;
      started.push(await startEntry(entry, context));
    }
    const targets: ScenarioTarget[] = [];
    for (const { entry, server } of started) {
      if (server) for (const scenario of entry.scenarios) targets.push({ serverId: entry.id, baseUrl: server.baseUrl, scenario });
    }
    const outcomes = await runRounds(targets, settings, log);
    for (const { entry, outcome, server } of started) {
      outcome.scenarios = entry.scenarios.map((scenario) => {
        const target = targets.find((t) => t.serverId === entry.id && t.scenario === scenario);
        return (target && outcomes.get(target)) ?? { scenario, unavailable: outcome.unavailable ?? 'not measured' };
      });
      outcome.peakRssMib = server?.peakRssMib();
    }
  } finally {
    for (const { server } of started) await server?.stop();
  }
  return started.map((s) => s.outcome);
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

    const servers = await measureServers(context);

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
