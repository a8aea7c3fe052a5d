import type { CaseOutcome } from '../test-case.js';

/** JUnit XML for CI systems: one testsuite per test file. */
export function junitReport(outcomes: CaseOutcome[]): string {
  const byFile = new Map<string, CaseOutcome[]>();
  for (const outcome of outcomes) {
    const list = byFile.get(outcome.case.file) ?? [];
    list.push(outcome);
    byFile.set(outcome.case.file, list);
  }
  const failures = outcomes.filter((o) => o.status === 'failed').length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="flapi" tests="${outcomes.length}" failures="${failures}">`];
  for (const [file, list] of byFile) {
    const failed = list.filter((o) => o.status === 'failed').length;
    const time = list.reduce((sum, o) => sum + o.ms, 0);
    out.push(`  <testsuite name="${xml(file)}" tests="${list.length}" failures="${failed}" time="${seconds(time)}">`);
    for (const outcome of list) {
      const open = `    <testcase name="${xml(outcome.case.name)}" classname="${xml(file)}" time="${seconds(outcome.ms)}"`;
      if (outcome.status === 'passed') out.push(`${open}/>`);
      else {
        out.push(`${open}>`);
        out.push(`      <failure message="${xml(outcome.failures[0] ?? 'failed')}">${xml(outcome.failures.join('\n'))}</failure>`);
        out.push('    </testcase>');
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}
