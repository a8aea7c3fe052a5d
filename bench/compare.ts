/**
 * `node --import tsx bench/compare.ts [--scenario=repeated] [--against=koa-hello] [--prime=point]
 * [--rounds=4] [--seconds=2]`: one flapi dev scenario against one reference server, in
 * alternating short runs, for a quick before/after ratio while working on the hot path
 * (the full `npm run bench` takes minutes). Prints each pair and the overall ratio, and
 * each server's CPU time per request (steadier than throughput on a busy machine).
 *
 * `--against=/path/to/other/checkout` runs the same scenario on `flapi dev` from another
 * built checkout (its `bin/flapi.js`): before and after a change, side by side.
 * `--server=flapi-built` measures the built server (flapi build, compiled offline, on a
 * local artifact) instead of flapi dev.
 *
 * `--copy` (export-csv and export-json only) also times DuckDB's in-process `COPY ... TO
 * '/dev/null'` of the same rows in the same format every round, and prints both servers'
 * rows/s as a ratio of it (the export targets), with the median over the rounds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureLoad, type LoadPlan } from './harness/load-test.js';
import { prepareBuiltProject } from './harness/built-project.js';
import { openDuckdbCopy, type CopyFormat, type DuckdbCopy } from './harness/duckdb-copy.js';
import { REPO_ROOT } from './harness/flights-table.js';
import { treeCpuMs } from './harness/process-cpu.js';
import { SERVERS, type BenchContext, type ServerEntry } from './harness/server-list.js';
import { launchServer, type RunningServer } from './harness/server-process.js';

const { values: flags } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'repeated' },
    server: { type: 'string', default: 'flapi-dev' },
    against: { type: 'string', default: 'koa-hello' },
    // Scenarios run on the flapi server (2 s each, unmeasured) before the first round.
    prime: { type: 'string', default: '' },
    rounds: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '2' },
    copy: { type: 'boolean', default: false },
  },
});

function otherCheckout(dir: string): ServerEntry {
  const dev = entryOf('flapi-dev');
  return {
    ...dev,
    id: dir,
    prepare: (context) => {
      const spec = dev.prepare(context);
      if ('unavailable' in spec) return spec;
      return { ...spec, args: [join(dir, 'bin/flapi.js'), ...spec.args.slice(1)] };
    },
  };
}

function entryOf(id: string): ServerEntry {
  if (isAbsolute(id)) return otherCheckout(id);
  const entry = SERVERS.find((s) => s.id === id);
  if (!entry) throw new Error(`unknown server ${id}`);
  return entry;
}

const context: BenchContext = {};
let buildOut: string | undefined;
if (flags.server === 'flapi-built' || flags.against === 'flapi-built') {
  buildOut = mkdtempSync(join(tmpdir(), 'flapi-compare-build-'));
  const build = spawnSync(process.execPath, ['bin/flapi.js', 'build', 'examples/flights', '--out', buildOut], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`flapi build failed: ${build.stderr || build.stdout}`);
  context.built = await prepareBuiltProject(buildOut);
}

async function start(entry: ServerEntry): Promise<RunningServer> {
  const spec = entry.prepare(context);
  if ('unavailable' in spec) throw new Error(`${entry.id}: ${spec.unavailable}`);
  return launchServer(spec, (port) => entry.portFlag(port));
}

const subjectEntry = entryOf(flags.server);
const referenceEntry = entryOf(flags.against);
const scenario = subjectEntry.scenarios.find((s) => s.id === flags.scenario);
const referenceScenario = referenceEntry.scenarios.find((s) => s.id === flags.scenario) ?? referenceEntry.scenarios[0];
if (!scenario || !referenceScenario) throw new Error(`unknown scenario ${flags.scenario}`);

const copyFormat = flags.copy ? (scenario.id.replace(/^export-/, '') as CopyFormat) : undefined;
if (copyFormat !== undefined && copyFormat !== 'csv' && copyFormat !== 'json') throw new Error('--copy needs --scenario=export-csv or export-json');
const copy: DuckdbCopy | undefined = copyFormat === undefined ? undefined : await openDuckdbCopy();
const copyRatios: { subject: number[]; reference: number[] } = { subject: [], reference: [] };
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const subject = await start(subjectEntry);
const reference = await start(referenceEntry);
try {
  for (const id of flags.prime.split(',').filter(Boolean)) {
    const primer = subjectEntry.scenarios.find((s) => s.id === id);
    if (!primer) throw new Error(`unknown scenario ${id}`);
    for (const server of isAbsolute(flags.against) ? [subject, reference] : [subject]) {
      await measureLoad({ baseUrl: server.baseUrl, path: primer.path, connections: primer.connections, seconds: 2, warmupSeconds: 0 });
    }
  }
  const seconds = Number(flags.seconds);
  const plan = (baseUrl: string, s: typeof scenario, warm: boolean): LoadPlan => ({
    baseUrl,
    path: s.path,
    connections: s.connections,
    seconds,
    warmupSeconds: warm ? 1.5 : 0,
  });
  const rows = (reqPerSec: number) =>
    scenario.rowsPerRequest === undefined ? '' : ` (${Math.round(reqPerSec * scenario.rowsPerRequest).toLocaleString('en-US')} rows/s)`;
  let subjectTotal = 0;
  let referenceTotal = 0;
  const cpuRatios: number[] = [];
  // CPU per request: the run's requests and the one that drains it (the warm-up run is not timed apart).
  const measured = async (server: RunningServer, s: typeof scenario, warm: boolean) => {
    const before = treeCpuMs(server.pid);
    const load = await measureLoad(plan(server.baseUrl, s, warm));
    return { ...load, cpuMsPerRequest: (treeCpuMs(server.pid) - before) / (load.requests + 1) };
  };
  for (let round = 0; round < Number(flags.rounds); round++) {
    const r = await measured(reference, referenceScenario, round === 0);
    if (scenario.rowsPerRequest !== undefined) process.stdout.write(`round ${round + 1}: reference${rows(r.reqPerSec)}\n`);
    const s = await measured(subject, scenario, round === 0);
    if (round > 0) cpuRatios.push(s.cpuMsPerRequest / r.cpuMsPerRequest);
    if (copy !== undefined && copyFormat !== undefined && scenario.rowsPerRequest !== undefined) {
      const timing = await copy.measure(copyFormat, scenario.rowsPerRequest, 3);
      const ratio = (reqPerSec: number) => (reqPerSec * scenario.rowsPerRequest!) / timing.rowsPerSec;
      copyRatios.subject.push(ratio(s.reqPerSec));
      copyRatios.reference.push(ratio(r.reqPerSec));
      process.stdout.write(
        `round ${round + 1}: COPY ${copyFormat} ${Math.round(timing.rowsPerSec).toLocaleString('en-US')} rows/s; ` +
          `${flags.server} ${ratio(s.reqPerSec).toFixed(2)}×, ${flags.against} ${ratio(r.reqPerSec).toFixed(2)}× of it\n`,
      );
    }
    subjectTotal += s.reqPerSec;
    referenceTotal += r.reqPerSec;
    const errors = s.errors + s.non2xx + r.errors + r.non2xx;
    process.stdout.write(
      `round ${round + 1}: ${flags.against} ${r.reqPerSec.toFixed(0)} req/s, ${flags.server} ${scenario.id} ${s.reqPerSec.toFixed(0)} req/s ` +
        `(p99 ${s.p99Ms} ms) → ${(s.reqPerSec / r.reqPerSec).toFixed(2)}×${rows(s.reqPerSec)}${errors ? `, ${errors} errors` : ''}; ` +
        `CPU ${r.cpuMsPerRequest.toFixed(2)} vs ${s.cpuMsPerRequest.toFixed(2)} ms/request\n`,
    );
  }
  process.stdout.write(`overall: ${(subjectTotal / referenceTotal).toFixed(2)}× ${flags.against}\n`);
  if (cpuRatios.length > 0) process.stdout.write(`CPU per request, median of rounds 2+: ${median(cpuRatios).toFixed(2)}× ${flags.against}\n`);
  if (copyFormat !== undefined) {
    process.stdout.write(
      `median of COPY ${copyFormat}: ${flags.server} ${median(copyRatios.subject).toFixed(2)}×, ${flags.against} ${median(copyRatios.reference).toFixed(2)}×\n`,
    );
  }
} finally {
  await subject.stop();
  await reference.stop();
  copy?.close();
  if (buildOut !== undefined) rmSync(buildOut, { recursive: true, force: true });
}
