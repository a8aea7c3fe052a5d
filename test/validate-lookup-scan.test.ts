/**
 * `flapi validate` reports a key lookup that DuckDB answers by scanning a large table,
 * names the template line and says how to give it an index; an indexed lookup, a small
 * table and a query that is no lookup stay quiet.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compileProject, type CompileResult } from '../cli/compile-project.js';
import { tempProject } from './support/cache-project.js';

const lookup = (path: string, sql: string) => ({
  [`sqls/${path}.yaml`]: [`url-path: /${path}/:id`, `template-source: ${path}.sql`, 'with-pagination: false',
    'request:', '  - field-name: id', '    field-in: path', '    required: true', '    validators:', '      - type: int'].join('\n'),
  [`sqls/${path}.sql`]: sql,
});

const p = tempProject({
  'flapi.yaml': [
    'project-name: lookups',
    'template:',
    '  path: ./sqls',
    'connections:',
    '  main:',
    '    init: |',
    '      CREATE TABLE big AS SELECT range AS id, range % 10 AS g FROM range(300000);',
    '      CREATE TABLE indexed AS SELECT range AS id, range % 10 AS g FROM range(300000);',
    '      CREATE UNIQUE INDEX indexed_id ON indexed(id);',
    '      CREATE TABLE small AS SELECT range AS id FROM range(100);',
  ].join('\n'),
  ...lookup('big', 'SELECT id, g\nFROM big\nWHERE id = {{params.id}}'),
  ...lookup('indexed', 'SELECT id, g FROM indexed WHERE id = {{params.id}}'),
  ...lookup('small', 'SELECT id FROM small WHERE id = {{params.id}}'),
  ...lookup('counted', 'SELECT count(*) AS n FROM big WHERE id = {{params.id}}'),
}, 'flapi-lookup-scan-');

let result: CompileResult;
before(async () => {
  result = await compileProject({ dir: p.dir, env: {} });
});
after(() => p.remove());

describe('validate and key lookups', () => {
  it('warns about a lookup that scans a large table, at the line that binds the key', () => {
    const found = result.diagnostics.filter((d) => d.code === 'lookup-scans');
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0]!.severity, 'warning');
    assert.match(found[0]!.file, /big\.sql$/);
    assert.equal(found[0]!.line, 3);
    assert.match(found[0]!.message, /by `id`.*300,000 rows of `big`.*indexes: \{ big: \[id\] \}/);
  });

  it('keeps the project valid', () => {
    assert.ok(result.manifest);
    assert.equal(result.diagnostics.filter((d) => d.severity === 'error').length, 0);
  });
});
