import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { validate } from '../cli/commands/validate.js';
import type { Diagnostic } from '../cli/diagnostics/diagnostic.js';

const FIXTURES = resolve('test/fixtures/validate');

interface Case {
  name: string;
  file: string;
  line: number;
  column?: number;
  severity?: 'error' | 'warning';
  message: string;
  /** The only diagnostic of the file: the mistake is reported once. */
  only?: boolean;
}

/** One broken project per folder: the diagnostic it must produce, where. */
const CASES: Case[] = [
  { name: 'yaml-syntax', file: 'sqls/item.yaml', line: 5, column: 4, only: true,
    message: '`field-in` starts at column 4, which lines up with no key above it; start it at column 5 to keep it beside `field-name` (line 4), or at column 1 to put it beside `request` (line 3)' },
  { name: 'yaml-indentation', file: 'sqls/item.yaml', line: 10, column: 11, only: true,
    message: '`min` is indented deeper than `type` on line 9, which already has a value; start it at column 9, like `type`' },
  { name: 'yaml-key-after-value', file: 'sqls/item.yaml', line: 3, column: 3, only: true,
    message: '`connection` is indented deeper than `template-source` on line 2, which already has a value; start it at column 1' },
  { name: 'misplaced-key', file: 'sqls/item.yaml', line: 7, column: 1, only: true,
    message: '`validators` does not belong at the top level, where it would be ignored; it belongs in each item of `request`' },
  { name: 'schema-type', file: 'flapi.yaml', line: 9, column: 12, message: '`http-port` must be of type integer' },
  { name: 'template-missing', file: 'sqls/item.yaml', line: 2, column: 18, message: 'template file sqls/missing.sql not found' },
  { name: 'unknown-connection', file: 'sqls/item.yaml', line: 3, column: 14, message: "unknown connection `warehouse` (known connections: db); add it under `connections:`" },
  { name: 'duplicate-route', file: 'sqls/item.yaml', line: 1, column: 11, message: 'GET /items/:id is already defined in sqls/item-again.yaml' },
  { name: 'path-param-undeclared', file: 'sqls/item.yaml', line: 1, message: 'path parameter :shop is not declared; add `- field-name: shop` with `field-in: path`' },
  { name: 'param-undeclared', file: 'sqls/item.sql', line: 4, column: 14, severity: 'warning', message: 'template uses params.name, but `name` is not declared: a request value is passed as unvalidated text (bound, never spliced); add `- field-name: name`' },
  { name: 'param-as-sql-text', file: 'sqls/items.sql', line: 3, column: 10, message: 'add an `enum` validator with `allowedValues` to `sort`' },
  { name: 'invalid-regex', file: 'sqls/item.yaml', line: 15, column: 16, message: 'regex of `name` is invalid' },
  { name: 'default-invalid', file: 'sqls/item.yaml', line: 13, column: 14, message: 'default of `size` fails its own int validator: 500 is above max 100' },
  { name: 'min-above-max', file: 'sqls/item.yaml', line: 15, column: 14, message: 'min 10 of `size` is above max 5' },
  { name: 'template-syntax', file: 'sqls/item.sql', line: 4, column: 1, message: 'Unclosed section "params.name"' },
  { name: 'sql-error', file: 'sqls/item.sql', line: 5, column: 7, message: 'Referenced column "colour" not found' },
  { name: 'env-not-whitelisted', file: 'flapi.yaml', line: 9, column: 13, message: 'environment variable SECRET_HOST is not whitelisted; add a pattern matching it' },
  { name: 'include-missing', file: 'sqls/item.yaml', line: 3, column: 1, message: 'included file common/missing.yaml not found' },
  { name: 'unknown-key', file: 'sqls/item.yaml', line: 11, column: 1, severity: 'warning', message: 'unknown key `with_pagination` at the top level is ignored; did you mean `with-pagination`?' },
  { name: 'fragment-near-miss', file: 'sqls/item.yaml', line: 1, column: 1, severity: 'warning', message: 'unknown key `url_path`; did you mean `url-path`?' },
];

async function runValidate(dir: string): Promise<{ code: number; report: { ok: boolean; diagnostics: Diagnostic[] } }> {
  let out = '';
  const code = await validate(dir, { json: true }, { stdout: (t) => { out += t; }, stderr: (t) => { out += t; } });
  return { code, report: JSON.parse(out) as { ok: boolean; diagnostics: Diagnostic[] } };
}

for (const c of CASES) {
  test(`validate ${c.name}: ${c.severity ?? 'error'} at ${c.file}:${c.line}`, async () => {
    const dir = join(FIXTURES, c.name);
    const { code, report } = await runValidate(dir);
    const severity = c.severity ?? 'error';
    assert.equal(code, severity === 'error' ? 1 : 0);
    assert.equal(report.ok, severity !== 'error');
    const expectedFile = join(dir, c.file);
    const found = report.diagnostics.find((d) => resolve(d.file) === expectedFile && d.message.includes(c.message));
    assert.ok(found, `expected "${c.message}" in ${c.file}; got:\n${report.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`).join('\n')}`);
    assert.equal(found.severity, severity);
    assert.equal(found.line, c.line);
    if (c.column !== undefined) assert.equal(found.column, c.column);
    if (c.only) assert.deepEqual(report.diagnostics.filter((d) => resolve(d.file) === expectedFile), [found], 'reported once');
  });
}

test('the real CLI prints path:line:col, a summary, and exits 1', () => {
  const result = spawnSync(process.execPath, ['bin/flapi.js', 'validate', join(FIXTURES, 'sql-error')], { encoding: 'utf8' });
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, /sql-error\/sqls\/item\.sql:5:7 {2}error {2}SQL error in dry-run: Binder Error/);
  assert.match(result.stderr, /✗ 1 endpoint, 1 error, 0 warnings/);
});

test('--strict turns security warnings into errors', async () => {
  const dir = join(FIXTURES, 'plaintext-password');
  let out = '';
  const io = { stdout: (t: string) => { out += t; }, stderr: (t: string) => { out += t; } };
  assert.equal(await validate(dir, {}, io), 0);
  assert.match(out, /warning {2}plaintext password for user `admin`/);
  out = '';
  assert.equal(await validate(dir, { strict: true }, io), 1);
  assert.match(out, /error {2}plaintext password for user `admin`/);
});
