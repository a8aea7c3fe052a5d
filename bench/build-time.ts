/**
 * How long `flapi build` takes on a 50-endpoint project, the way a user runs it (CLI
 * process start to exit: compile, dry-run of every template, code generation, vendored
 * runtime and data copied). Prints the runs and their median.
 *
 *   node --import tsx bench/build-time.ts [--endpoints=50] [--runs=3] [--keep]
 *
 * Needs `dist/` (`npm run build`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { timeCli } from './harness/cli-timing.js';
import { writeGeneratedProject } from './harness/generated-endpoints.js';

const { values: flags } = parseArgs({
  options: { endpoints: { type: 'string', default: '50' }, runs: { type: 'string', default: '3' }, keep: { type: 'boolean', default: false } },
});
const ENDPOINTS = Number(flags.endpoints);
const RUNS = Number(flags.runs);
const REPO_ROOT = join(import.meta.dirname, '..');

const work = mkdtempSync(join(tmpdir(), 'flapi-bench-build-'));
try {
  const project = join(work, 'project');
  writeGeneratedProject(project, ENDPOINTS);
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const out = join(work, `out-${run}`);
    const timing = await timeCli([join(REPO_ROOT, 'bin', 'flapi.js'), 'build', project, '--out', out, '--no-lockfile'], work);
    if (timing.exitCode !== 0) throw new Error(`flapi build failed (exit ${timing.exitCode}): ${timing.output ?? timing.lastLine}`);
    times.push(timing.ms);
    process.stdout.write(`run ${run + 1}: ${Math.round(timing.ms)} ms\n`);
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  process.stdout.write(`flapi build, ${ENDPOINTS} endpoints: median ${Math.round(median)} ms over ${RUNS} runs\n`);
} finally {
  if (flags.keep) process.stdout.write(`project and outputs kept in ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
}
