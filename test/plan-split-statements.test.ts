/**
 * Multi-statement write templates: cut at top-level semicolons only, each statement with
 * its own placeholders and values; run in one transaction over HTTP, 201 on POST, every
 * statement's changed rows counted, and nothing kept when one statement fails.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { splitStatements } from '../runtime/plan/split-statements.js';
import { startServer, silentLogger, type HttpServerHandle } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';

describe('splitStatements', () => {
  it('keeps one statement as it is', () => {
    const one = { sql: 'SELECT $1; ', values: [1] };
    assert.equal(splitStatements(one)[0], one);
  });

  it('cuts at top-level semicolons and renumbers each statement\'s placeholders', () => {
    const parts = splitStatements({
      sql: "INSERT INTO t VALUES ($1, 'a;b', \"c;d\"); -- note; here\nUPDATE t SET x = $3 WHERE id = $1 /* ; */; SELECT $2;",
      values: [7, 'two', 3],
    });
    assert.deepEqual(parts, [
      { sql: "INSERT INTO t VALUES ($1, 'a;b', \"c;d\")", values: [7] },
      { sql: '-- note; here\nUPDATE t SET x = $1 WHERE id = $2 /* ; */', values: [3, 7] },
      { sql: 'SELECT $1', values: ['two'] },
    ]);
  });

  it('drops empty statements, comment-only tails and the template\'s own BEGIN / COMMIT', () => {
    assert.equal(splitStatements({ sql: 'DELETE FROM t;;\n-- done\n', values: [] }).length, 1);
    assert.deepEqual(splitStatements({ sql: 'BEGIN TRANSACTION; DELETE FROM t; INSERT INTO t VALUES (1); COMMIT;', values: [] }).map((s) => s.sql), ['DELETE FROM t', 'INSERT INTO t VALUES (1)']);
  });
});

describe('multi-statement writes over HTTP', () => {
  const m = manifest([
    endpoint({
      urlPath: '/moves',
      method: 'POST',
      sql: `INSERT INTO flights VALUES ({{params.id}}, 'ORD', DATE '2024-03-01', 1.0);
UPDATE flights SET price = price + {{params.bump}} WHERE id = {{params.id}};
SELECT CAST(CASE WHEN {{params.bump}} = 999 THEN 'boom' ELSE '1' END AS DOUBLE);`,
      operation: { type: 'write', transaction: false, returnsData: false },
      params: [
        { name: 'id', in: 'body', required: true, validators: [{ type: 'int', min: 100 }] },
        { name: 'bump', in: 'body', required: true, validators: [{ type: 'number' }] },
      ],
    }),
    endpoint({ urlPath: '/flight/:id', sql: 'SELECT id, origin, price FROM flights WHERE id = {{params.id}}', params: [{ name: 'id', in: 'path', required: true, validators: [{ type: 'int' }] }] }),
  ]);
  let server: HttpServerHandle;
  before(async () => {
    server = await startServer(m, { port: 0, logger: silentLogger });
  });
  after(async () => {
    await server.close();
  });
  const post = (body: unknown) => fetch(`${server.url}/moves`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('runs every statement, answers 201 with the rows they changed', async () => {
    const res = await post({ id: 500, bump: 2.5 });
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { rows_affected: 2 });
    assert.deepEqual(await (await fetch(`${server.url}/flight/500`)).json(), [{ id: 500, origin: 'ORD', price: '3.5' }]);
  });

  it('keeps nothing when a later statement fails', async () => {
    const res = await post({ id: 501, bump: 999 });
    assert.equal(res.status >= 400, true);
    await res.text();
    assert.deepEqual(await (await fetch(`${server.url}/flight/501`)).json(), []);
  });
});

describe('validate on multi-statement write templates', () => {
  it('dry-runs each statement after the ones before it, and serves the project', async () => {
    const { tempProject } = await import('./support/cache-project.js');
    const { compileProject } = await import('../cli/compile-project.js');
    const project = tempProject({
      'flapi.yaml': 'project-name: writes\ntemplate:\n  path: ./sqls\nconnections:\n  main:\n    init: SELECT 1\n',
      'sqls/create.yaml': 'url-path: /notes\nmethod: POST\ntemplate-source: create.sql\noperation:\n  type: Write\nrequest:\n  - field-name: id\n    field-in: body\n    required: true\n    validators:\n      - type: int\n',
      'sqls/create.sql': 'BEGIN TRANSACTION;\nCREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body VARCHAR);\nINSERT INTO notes VALUES ({{params.id}}, \'hello\');\nCOMMIT;\n',
      'sqls/drop.yaml': 'url-path: /notes/:id\nmethod: DELETE\ntemplate-source: drop.sql\noperation:\n  type: write\nrequest:\n  - field-name: id\n    field-in: path\n    required: true\n    validators:\n      - type: int\n',
      'sqls/drop.sql': 'DELETE FROM notes WHERE id = {{params.id}}\n',
    }, 'flapi-writes-');
    try {
      const result = await compileProject({ dir: project.dir, env: {} });
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors, []);
      assert.ok(result.diagnostics.some((d) => d.file.endsWith('drop.sql') && /another endpoint creates the table/.test(d.message)));
      const server = await startServer(result.manifest!, { port: 0, logger: silentLogger });
      try {
        const created = await fetch(`${server.url}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":1}' });
        assert.equal(created.status, 201);
        assert.deepEqual(await created.json(), { rows_affected: 1 });
        const dropped = await fetch(`${server.url}/notes/1`, { method: 'DELETE' });
        assert.deepEqual([dropped.status, await dropped.json()], [200, { rows_affected: 1 }]);
      } finally {
        await server.close();
      }
    } finally {
      project.remove();
    }
  });
});
