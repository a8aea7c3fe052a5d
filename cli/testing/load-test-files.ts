import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics/index.js';
import { findTestFiles } from './find-test-files.js';
import type { Expectation, Fixture, TestCase, TestFile } from './test-case.js';

export interface LoadedTestFiles {
  files: TestFile[];
  diagnostics: Diagnostic[];
}

/**
 * Read every test file of a project: `tests/**\/*.test.yaml` and `*.test.yaml` beside
 * the endpoint files. A malformed file becomes diagnostics with file and line, so one
 * typo does not hide the other files' results.
 */
export async function loadTestFiles(root: string): Promise<LoadedTestFiles> {
  const files: TestFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of await findTestFiles(root)) {
    const text = await readFile(path, 'utf8');
    const file = relative(process.cwd(), path) || path;
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    const at = (node: Node | null | undefined) => lines.linePos(node?.range?.[0] ?? 0);
    const fail = (message: string, node?: Node | null) => {
      const { line, col } = at(node);
      diagnostics.push({ severity: 'error', file, line, column: col, message, code: 'test-file' });
    };
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const [line, col] = err.linePos?.[0] ? [err.linePos[0].line, err.linePos[0].col] : [1, 1];
        diagnostics.push({ severity: 'error', file, line, column: col, message: `${err.message.split('\n')[0]}: fix the YAML syntax`, code: 'test-file' });
      }
      continue;
    }
    const cases = doc.get('cases', true);
    if (!isSeq(cases)) {
      fail('a test file needs a `cases:` list of { name, endpoint, params, expect }', doc.contents);
      continue;
    }
    const testFile: TestFile = { path, file, cases: [], fixtures: [], runInit: doc.get('run-init') === true };
    cases.items.forEach((item, index) => {
      if (!isMap(item)) return fail(`case ${index + 1} must be a mapping with name, endpoint and expect`, item as Node);
      const raw = item.toJSON() as Record<string, unknown>;
      const endpoint = raw.endpoint ?? raw.path;
      if (typeof endpoint !== 'string' || !endpoint.startsWith('/')) {
        return fail(`case ${index + 1} needs \`endpoint:\` with the request path, e.g. /flights/1`, item);
      }
      const expect = (raw.expect ?? {}) as Record<string, unknown>;
      testFile.cases.push({
        name: typeof raw.name === 'string' ? raw.name : `${String(raw.method ?? 'GET')} ${endpoint}`,
        file,
        line: at(item).line,
        method: String(raw.method ?? 'GET').toUpperCase(),
        endpoint,
        params: (raw.params ?? {}) as Record<string, unknown>,
        headers: Object.fromEntries(Object.entries((raw.headers ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
        body: raw.body,
        expect: normaliseExpectation(expect),
      });
    });
    const fixtures = doc.get('fixtures', true);
    if (isMap(fixtures)) {
      for (const pair of fixtures.items) {
        const table = String((pair.key as { value?: unknown })?.value ?? pair.key);
        const value = (pair.value as Node | null)?.toJSON() as unknown;
        const fixture = toFixture(table, value, dirname(path));
        if (typeof fixture === 'string') fail(fixture, pair.value as Node);
        else testFile.fixtures.push(fixture);
      }
    } else if (fixtures !== undefined) {
      fail('`fixtures:` maps table names to a file path or a list of rows', fixtures as Node);
    }
    files.push(testFile);
  }
  return { files, diagnostics };
}

function normaliseExpectation(raw: Record<string, unknown>): Expectation {
  return {
    status: typeof raw.status === 'number' ? raw.status : undefined,
    rows: Array.isArray(raw.rows) ? (raw.rows as Record<string, unknown>[]) : undefined,
    rowsSubset: Array.isArray(raw.rowsSubset ?? raw['rows-subset']) ? ((raw.rowsSubset ?? raw['rows-subset']) as Record<string, unknown>[]) : undefined,
    count: typeof raw.count === 'number' ? raw.count : undefined,
    errors: Array.isArray(raw.errors) ? raw.errors.map(String) : undefined,
  };
}

function toFixture(table: string, value: unknown, dir: string): Fixture | string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(table)) {
    return `fixture table name \`${table}\` must be a plain SQL name (letters, digits, underscores, optionally schema.table)`;
  }
  if (typeof value === 'string') return { table, file: isAbsolute(value) ? value : resolve(dir, value) };
  if (Array.isArray(value)) return { table, rows: value as Record<string, unknown>[] };
  if (value && typeof value === 'object' && 'file' in value) {
    const file = String((value as { file: unknown }).file);
    return { table, file: isAbsolute(file) ? file : resolve(dir, file) };
  }
  if (value && typeof value === 'object' && 'rows' in value && Array.isArray((value as { rows: unknown }).rows)) {
    return { table, rows: (value as { rows: Record<string, unknown>[] }).rows };
  }
  return `fixture \`${table}\` must be a file path (CSV, Parquet, JSON) or a list of rows`;
}
