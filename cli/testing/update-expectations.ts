import { readFile, writeFile } from 'node:fs/promises';
import { isMap, isSeq, parseDocument } from 'yaml';
import { expectedStatus, type CaseOutcome, type TestFile } from './test-case.js';

/**
 * `flapi test --update`: write the actual rows into `expect.rows` of every case that
 * expects rows (or names no row expectation at all), keeping the file's comments. A case
 * answered with another status than it expects is left alone: its rows are not the answer
 * it is about.
 */
export async function updateExpectations(file: TestFile, outcomes: CaseOutcome[]): Promise<number> {
  const doc = parseDocument(await readFile(file.path, 'utf8'));
  const cases = doc.get('cases', true);
  if (!isSeq(cases)) return 0;
  let updated = 0;
  file.cases.forEach((testCase, index) => {
    const outcome = outcomes.find((o) => o.case === testCase);
    const item = cases.items[index];
    if (!outcome || outcome.status === 'passed' || !outcome.actualRows || !isMap(item)) return;
    const expect = testCase.expect;
    if (expect.rowsSubset || expect.count !== undefined || expect.errors) return;
    if (outcome.actualStatus !== expectedStatus(expect)) return;
    const rows = doc.createNode(outcome.actualRows);
    // One row per line reads like the hand-written cases.
    if (isSeq(rows)) for (const row of rows.items) if (isMap(row)) row.flow = true;
    item.setIn(['expect', 'rows'], rows);
    updated++;
  });
  if (updated > 0) await writeFile(file.path, doc.toString({ lineWidth: 0 }));
  return updated;
}
