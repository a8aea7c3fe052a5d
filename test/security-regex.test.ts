/**
 * Finding 9: validator regexes written by a project run in linear time, so a pattern
 * such as `(a+)+b` cannot freeze the server, and `flapi validate` rejects what the
 * linear-time engine cannot run (backreferences, lookaround) at file and line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import { stringCheck } from '../runtime/params/text-checks.js';
import { Invalid } from '../runtime/params/param-types.js';
import { endpoint, manifest } from './serve-fixture.js';
import { tempProject } from './support/cache-project.js';
import { validateJson } from './support/validate-json.js';

describe('regex validators cannot be made to backtrack', () => {
  let server: HttpServerHandle;
  before(async () => {
    const m = manifest([
      endpoint({
        urlPath: '/search',
        sql: 'SELECT {{params.q}} AS q',
        params: [{ name: 'q', in: 'query', required: true, validators: [{ type: 'string', regex: '(a+)+b' }] }],
      }),
    ]);
    server = await startServer(m, { port: 0, logger: silentLogger });
  });
  after(() => server.close());

  it('answers a catastrophic input to (a+)+b at once with a 400 naming the parameter', async () => {
    const started = Date.now();
    const r = await fetch(`${server.url}/search?q=${'a'.repeat(30)}c`);
    const body = (await r.json()) as { errors: { field: string }[] };
    assert.equal(r.status, 400);
    assert.equal(body.errors[0]?.field, 'q');
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    const health = await fetch(`${server.url}/_flapi/health`);
    assert.equal(health.status, 200);
  });

  it('still matches as before', async () => {
    const r = await fetch(`${server.url}/search?q=aaab`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), [{ q: 'aaab' }]);
  });

  it('matches 100 000 characters against a nested quantifier in well under a second', () => {
    const check = stringCheck('(a+)+b');
    const started = Date.now();
    assert.ok(check(`${'a'.repeat(100_000)}c`) instanceof Invalid);
    assert.ok(Date.now() - started < 1000);
  });

  it('keeps the patterns of the examples working the same way', () => {
    const cases: [string, string, boolean][] = [
      ['^[A-Z]{3}$', 'JFK', true],
      ['^[A-Z]{3}$', 'JFKX', false],
      ['^[A-Z]{3}$', 'jfk', false],
      ['^[A-Z]{2}$', 'CA', true],
      ['^[A-Z0-9]{3,4}$', 'KJFK', true],
      ['^[A-Z0-9]{3,4}$', 'K', false],
      ['[a-z]+', 'abc', true],
      ['[a-z]+', 'abc1', false],
    ];
    for (const [pattern, value, ok] of cases) {
      assert.equal(!(stringCheck(pattern)(value) instanceof Invalid), ok, `${pattern} on ${value}`);
    }
  });
});

describe('flapi validate rejects patterns the linear-time engine cannot run', () => {
  const yaml = (regex: string) => `url-path: /items
template-source: items.sql
connection: [db]
request:
  - field-name: name
    field-in: query
    validators:
      - type: string
        regex: '${regex}'
`;
  for (const [label, regex] of [['a backreference', '(a)\\1'], ['a lookahead', '(?=a)a+'], ['a lookbehind', '(?<=x)a']] as const) {
    it(`reports ${label} at its line`, async () => {
      const project = tempProject({
        'flapi.yaml': 'project-name: re\ntemplate:\n  path: ./sqls\nconnections:\n  db:\n    init: CREATE TABLE items AS SELECT 1 AS id;\n',
        'sqls/items.yaml': yaml(regex),
        'sqls/items.sql': 'SELECT id FROM items WHERE {{params.name}} IS NOT NULL',
      });
      try {
        const { code, diagnostics } = await validateJson(project.dir);
        const found = diagnostics.find((d) => d.code === 'invalid-regex');
        assert.ok(found, JSON.stringify(diagnostics));
        assert.equal(code, 1);
        assert.ok(found.file.endsWith('sqls/items.yaml'), found.file);
        assert.equal(found.line, 9);
        assert.match(found.message, /regex of `name` is invalid .*backreferences and lookaround are not supported/);
      } finally {
        project.remove();
      }
    });
  }
});
