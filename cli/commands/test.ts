import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { compileProject } from '../compile-project.js';
import { formatDiagnostic } from '../diagnostics/index.js';
import { withFixtures } from '../testing/fixture-manifest.js';
import { loadTestFiles, type LoadedTestFiles } from '../testing/load-test-files.js';
import { junitReport } from '../testing/reporters/junit-reporter.js';
import { prettyReport } from '../testing/reporters/pretty-reporter.js';
import { runCases } from '../testing/run-cases.js';
import type { CaseOutcome, TestFile } from '../testing/test-case.js';
import { updateExpectations } from '../testing/update-expectations.js';
import { warmCaches } from '../testing/warm-caches.js';
import type { Logger } from '../../runtime/app/index.js';
import type { Manifest } from '../../runtime/manifest.js';

export interface TestOptions {
  config?: string;
  reporter?: string;
  output?: string;
  update?: boolean;
}

/** `flapi test [dir]`: run every test file's cases in-process against the runtime. */
export async function run(dir: string, options: TestOptions): Promise<number> {
  const compiled = await compileProject({ dir, config: options.config });
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (!compiled.manifest) {
    process.stderr.write(`flapi test: the project has ${errors.length} error(s); fix them (see \`flapi validate\`) and run again.\n`);
    return 1;
  }
  const manifest = compiled.manifest;
  let loaded = await loadTestFiles(manifest.project.root);
  if (loaded.files.length === 0 && loaded.diagnostics.length === 0) {
    process.stdout.write('flapi test: no test files found (add tests/*.test.yaml with a `cases:` list).\n');
    return 0;
  }
  let outcomes = await runFiles(manifest, loaded);
  if (options.update && outcomes.some((o) => o.status === 'failed')) {
    let updated = 0;
    for (const file of loaded.files) updated += await updateExpectations(file, outcomes);
    process.stdout.write(`flapi test: updated the expected rows of ${updated} case(s).\n`);
    // The report is of the files as they are now: cases -u cannot fix (status, counts,
    // errors, a row subset) still fail, and so does the run.
    if (updated > 0) {
      loaded = await loadTestFiles(manifest.project.root);
      outcomes = await runFiles(manifest, loaded);
    }
  }
  for (const d of loaded.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const report = options.reporter === 'junit' ? junitReport(outcomes) : prettyReport(outcomes, process.stdout.isTTY === true);
  if (options.output) await writeFile(options.output, report);
  else process.stdout.write(`${report}\n`);
  return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
}

/** Runs every case of the loaded files; a test file that cannot be read is a failed case. */
async function runFiles(manifest: Manifest, loaded: LoadedTestFiles): Promise<CaseOutcome[]> {
  // Files without fixtures share one database; each file with fixtures gets its own.
  const { createApp } = await import('../../runtime/app/index.js');
  const groups = new Map<TestFile | 'shared', TestFile[]>();
  for (const file of loaded.files) {
    const key = file.fixtures.length > 0 ? file : 'shared';
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  const outcomes: CaseOutcome[] = [];
  const concurrency = Math.max(2, availableParallelism());
  for (const [key, files] of groups) {
    const target = key === 'shared' ? manifest : await withFixtures(manifest, key.fixtures, key.runInit);
    // Caches never refresh on a schedule in a test; empty ones are filled once, before the cases.
    const app = await createApp({ ...target, server: { ...target.server, responseCacheBytes: 0 } }, { logger: quietLogger, cacheRefresh: 'manual' });
    try {
      for (const note of await warmCaches(app)) process.stderr.write(`flapi test: ${note}\n`);
      outcomes.push(...(await runCases(app.app.callback(), files.flatMap((f) => f.cases), concurrency)));
    } finally {
      await app.close();
    }
  }
  for (const d of loaded.diagnostics) {
    const testCase = { name: 'test file loads', file: d.file, line: d.line, method: 'GET', endpoint: '', params: {}, headers: {}, expect: {} };
    outcomes.push({ case: testCase, status: 'failed', ms: 0, failures: [`${d.line}:${d.column} ${d.message}`] });
  }
  return outcomes;
}

/** Only internal errors are worth a line next to the report. */
const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message, fields) => void process.stderr.write(`${message} ${fields ? JSON.stringify(fields) : ''}\n`),
};
