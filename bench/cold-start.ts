/**
 * `node --import tsx bench/cold-start.ts [--count=7] [--profile]`: `flapi build
 * examples/flights` into a temp folder, compiled offline, on a local artifact; then the
 * built server's cold start (spawn to first 200) sampled `count` times, alternating with
 * the floor (Koa + @koa/router + DuckDB opening the same file), and their ratio, held to
 * ≤ 1.15×. Needs `npm run build` first (the build vendors the bundled runtime).
 * `--profile` adds one start under `--cpu-prof` and prints where it went.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareBuiltProject } from './harness/built-project.js';
import { measureColdStartPair, median } from './harness/cold-start.js';
import { renderProfileSummary, summariseCpuProfile } from './harness/cpu-profile-summary.js';
import { REPO_ROOT } from './harness/flights-table.js';
import { builtServerSpec, coldStartFloorSpec } from './harness/server-list.js';

const { values: flags } = parseArgs({
  options: { count: { type: 'string', default: '7' }, profile: { type: 'boolean', default: false } },
});

const out = mkdtempSync(join(tmpdir(), 'flapi-cold-start-'));
try {
  const build = spawnSync(process.execPath, ['bin/flapi.js', 'build', 'examples/flights', '--out', out, '--no-lockfile'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`flapi build failed: ${build.stderr || build.stdout}`);
  const built = await prepareBuiltProject(out);
  const spec = builtServerSpec({ built });
  const floor = coldStartFloorSpec({ built });
  if ('unavailable' in spec) throw new Error(spec.unavailable);
  if ('unavailable' in floor) throw new Error(floor.unavailable);
  const pair = await measureColdStartPair({ label: 'built server', spec }, { label: 'floor (Koa + DuckDB)', spec: floor }, Number(flags.count));
  for (const cold of pair) {
    if (cold.unavailable) throw new Error(cold.unavailable);
    const samples = cold.samples.map((ms) => Math.round(ms));
    process.stdout.write(`${cold.label} on a local artifact (${built.artifactSource}): median ${Math.round(median(cold.samples))} ms; samples ${samples.join(', ')} ms\n`);
  }
  const ratio = median(pair[0].samples) / median(pair[1].samples);
  process.stdout.write(`built server / floor: ${ratio.toFixed(2)}× (target ≤ 1.15×)\n`);
  if (flags.profile) {
    const dir = join(out, 'profile');
    const profiled = { ...spec, args: ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...spec.args] };
    await measureColdStartPair({ label: 'profiled', spec: profiled }, { label: 'floor', spec: floor }, 1);
    for (const file of readdirSync(dir)) process.stdout.write(renderProfileSummary(file, summariseCpuProfile(join(dir, file))));
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
