import type { CaseOutcome } from '../test-case.js';

/** Human output: a line per case, failures with their diff, one summary line. */
export function prettyReport(outcomes: CaseOutcome[], color: boolean): string {
  const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const lines: string[] = [];
  let file = '';
  for (const outcome of outcomes) {
    if (outcome.case.file !== file) {
      file = outcome.case.file;
      lines.push(paint(1, file));
    }
    const time = paint(2, `(${outcome.ms.toFixed(0)} ms)`);
    if (outcome.status === 'passed') {
      lines.push(`  ${paint(32, '✓')} ${outcome.case.name} ${time}`);
    } else {
      lines.push(`  ${paint(31, '✗')} ${outcome.case.name} ${time}  ${paint(2, `${outcome.case.file}:${outcome.case.line}`)}`);
      for (const failure of outcome.failures) lines.push(`      ${failure}`);
    }
  }
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  const passed = outcomes.length - failed;
  lines.push('');
  lines.push(`${passed} passed, ${failed} failed`);
  return lines.join('\n');
}
