/**
 * `node --import tsx bench/profile.ts [--seconds=5] [--scenario=point] [--prime=a,b]`: runs one flapi
 * dev scenario on examples/flights under `node --cpu-prof` and prints where the server's
 * CPU time went (bench/results/profile/ keeps the raw .cpuprofile for DevTools).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderProfileSummary, summariseCpuProfile } from './harness/cpu-profile-summary.js';
import { REPO_ROOT } from './harness/flights-table.js';
import { measureLoad } from './harness/load-test.js';
import { SERVERS } from './harness/server-list.js';
import { launchServer } from './harness/server-process.js';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    scenario: { type: 'string', default: 'point' },
    server: { type: 'string', default: 'flapi-dev' },
    // Scenarios run (unmeasured, 2 s each) before the profiled one, e.g. --prime=point to
    // see the repeated-read path with the state point lookups leave behind.
    prime: { type: 'string', default: '' },
  },
});

const dir = join(REPO_ROOT, 'bench/results/profile');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const entry = SERVERS.find((s) => s.id === flags.server);
const scenario = entry?.scenarios.find((s) => s.id === flags.scenario);
if (!entry || !scenario) throw new Error(`unknown server ${flags.server} or scenario ${flags.scenario}`);
const spec = entry.prepare({});
if ('unavailable' in spec) throw new Error(spec.unavailable);
// Node refuses --cpu-prof in NODE_OPTIONS, so it goes on the server's command line.
spec.args.unshift('--cpu-prof', `--cpu-prof-dir=${dir}`);

const server = await launchServer(spec, (port) => entry.portFlag(port));
for (const id of flags.prime.split(',').filter(Boolean)) {
  const primer = entry.scenarios.find((s) => s.id === id);
  if (!primer) throw new Error(`unknown scenario ${id}`);
  await measureLoad({ baseUrl: server.baseUrl, path: primer.path, connections: primer.connections, seconds: 2, warmupSeconds: 0 });
}
const load = await measureLoad({
  baseUrl: server.baseUrl,
  path: scenario.path,
  connections: scenario.connections,
  seconds: Number(flags.seconds),
  warmupSeconds: 1,
});
// A normal exit (graceful shutdown on SIGTERM) is what makes node write the profile.
await server.stop();

const lines = [`# CPU profile: ${scenario.label}`, '', `${load.reqPerSec.toFixed(0)} req/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms under the profiler.`, ''];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  lines.push(renderProfileSummary(file, summariseCpuProfile(join(dir, file))));
}
const report = lines.join('\n');
writeFileSync(join(dir, 'summary.md'), report);
process.stdout.write(report);
