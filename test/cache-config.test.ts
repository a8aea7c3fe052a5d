import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { compileProject } from '../cli/compile-project.js';
import type { Diagnostic } from '../cli/diagnostics/diagnostic.js';
import { refreshCache } from '../runtime/cache/index.js';
import { openDatabase } from '../runtime/db/index.js';
import { tempProject } from './support/cache-project.js';
import { PG_URL, postgresUnavailable } from './support/postgres.js';

// What `flapi validate` says about cache blocks and source connections, and the DuckDB
// sources beyond CSV and Parquet (JSON files, other .duckdb files).

const BASE = 'project-name: cfg\ntemplate:\n  path: ./sqls\n  environment-whitelist: [\'^TEST_PG_URL$\']\nconnections:\n  files: {}\n';

async function diagnose(files: Record<string, string>, env: Record<string, string> = {}): Promise<Diagnostic[]> {
  const p = tempProject(files, 'flapi-cache-cfg-');
  try {
    const result = await compileProject({ dir: p.dir, env });
    return result.diagnostics.map((d) => ({ ...d, file: d.file.replace(`${p.dir}/`, '').replace(/^.*\/(sqls\/|flapi\.yaml)/, '$1') }));
  } finally {
    p.remove();
  }
}

const find = (diagnostics: Diagnostic[], code: string) => diagnostics.find((d) => d.code === code);

test('cache blocks: a bad schedule, a bad max-snapshot-age, a missing table and a table two caches share are errors at their line', async () => {
  const endpoint = (path: string, cache: string) => `url-path: ${path}\ntemplate-source: q.sql\ncache:\n${cache}`;
  const diagnostics = await diagnose({
    'flapi.yaml': `${BASE}duckdb:\n  db_path: ./c.duckdb\n`,
    'sqls/q.sql': 'SELECT 1 AS x',
    'sqls/c.sql': 'SELECT 1 AS x',
    'sqls/a.yaml': endpoint('/a', '  table: t\n  template-file: c.sql\n  schedule: every now and then\n'),
    'sqls/b.yaml': endpoint('/b', '  table: t\n  template-file: c.sql\n  retention:\n    max-snapshot-age: forever\n'),
    'sqls/c.yaml': endpoint('/c', '  template-file: c.sql\n'),
    'sqls/d.yaml': endpoint('/d', '  table: u\n  template-file: c.sql\n  primary-key: [x]\n'),
  });
  const schedule = find(diagnostics, 'cache-schedule');
  assert.deepEqual([schedule?.file, schedule?.line, schedule?.severity], ['sqls/a.yaml', 6, 'error']);
  assert.match(schedule!.message, /neither an interval \(30s, 5m, 1h, 2d\) nor a cron expression/);
  assert.deepEqual([find(diagnostics, 'cache-retention')?.file, find(diagnostics, 'cache-retention')?.line], ['sqls/b.yaml', 7]);
  assert.equal(find(diagnostics, 'cache-table')?.file, 'sqls/c.yaml');
  const duplicate = find(diagnostics, 'cache-table-duplicate');
  assert.match(duplicate?.message ?? '', /already the cache of endpoint get_a/);
  assert.equal(find(diagnostics, 'cache-in-memory'), undefined, 'db_path is set');
});

test('source connections: an unknown type is an error; an unset url, an in-memory cache and a live query on postgres are warnings', async () => {
  const diagnostics = await diagnose({
    'flapi.yaml': `${BASE}  pg:\n    type: postgres\n    url: '{{env.TEST_PG_URL}}'\n  warehouse:\n    type: snowflake\n    url: x\n`,
    'sqls/c.sql': 'SELECT 1 AS x',
    'sqls/q.sql': 'SELECT * FROM main.t',
    'sqls/a.yaml': 'url-path: /a\ntemplate-source: q.sql\nconnection: [files]\ncache:\n  table: t\n  template-file: c.sql\n',
    'sqls/live.yaml': 'url-path: /live\ntemplate-source: q.sql\nconnection: [pg]\n',
  });
  assert.equal(find(diagnostics, 'connection-type')?.severity, 'error');
  assert.match(find(diagnostics, 'connection-type')!.message, /type `snowflake`/);
  assert.match(find(diagnostics, 'connection-url-empty')?.message ?? '', /takes its url from TEST_PG_URL, which is not set here/);
  assert.equal(find(diagnostics, 'cache-in-memory')?.severity, 'warning');
  assert.equal(find(diagnostics, 'source-without-cache')?.severity, 'warning');
});

test('validate asks PostgreSQL to describe a cache template: its SQL errors point into the template, its columns type the endpoint', { skip: (await postgresUnavailable()) ?? false }, async () => {
  const files = {
    'flapi.yaml': `${BASE}  pg:\n    type: postgres\n    url: '{{env.TEST_PG_URL}}'\n`,
    'sqls/q.sql': 'SELECT n, label, ts FROM pgc.nums ORDER BY n',
    'sqls/a.yaml': 'url-path: /nums\ntemplate-source: q.sql\nconnection: [pg]\ncache:\n  table: nums\n  schema: pgc\n  template-file: c.sql\n',
    'sqls/c.sql': "SELECT g AS n, 'n' || g AS label, now() AS ts\nFROM generate_series(1, 3) g",
  };
  const p = tempProject(files, 'flapi-cache-cfg-');
  try {
    const good = await compileProject({ dir: p.dir, env: { TEST_PG_URL: PG_URL } });
    assert.deepEqual(good.diagnostics.filter((d) => d.code !== 'cache-in-memory'), []);
    assert.deepEqual(good.manifest!.endpoints[0]!.columns.map((c) => `${c.name}:${c.type}`), ['n:INTEGER', 'label:VARCHAR', 'ts:TIMESTAMP WITH TIME ZONE']);
    assert.equal(good.manifest!.connections['pg']!.url, undefined, 'the url stays a reference');
    assert.equal(good.manifest!.connections['pg']!.urlEnv, 'TEST_PG_URL');
    p.write('sqls/c.sql', "SELECT g AS n, 'n' || g AS label, now() AS ts\nFROM generate_series(1, 3) g\nWHERE nonsense_column > 1");
    const bad = await compileProject({ dir: p.dir, env: { TEST_PG_URL: PG_URL } });
    const error = bad.diagnostics.find((d) => d.code === 'sql');
    assert.match(error?.message ?? '', /PostgreSQL rejects the cache template: column "nonsense_column" does not exist/);
    assert.deepEqual([error?.line, error?.column], [3, 7]);
    assert.equal(bad.diagnostics.filter((d) => d.severity === 'error').length, 1, 'the endpoint reading the cache does not repeat the error');
  } finally {
    p.remove();
  }
});

test('JSON files and other DuckDB databases are cache sources too', async () => {
  const p = tempProject({
    'flapi.yaml': 'project-name: src\ntemplate:\n  path: ./sqls\nconnections:\n  files:\n    init: "ATTACH \'{{{conn.other}}}\' AS other (READ_ONLY)"\n    properties:\n      json: ./rows.json\n      other: ./other.duckdb\n',
    'rows.json': '[{"id": 1, "tags": ["a", "b"]}, {"id": 2, "tags": []}]',
    'sqls/j.yaml': 'url-path: /j\ntemplate-source: j.sql\ncache:\n  table: j\n  template-file: j-cache.sql\n',
    'sqls/j.sql': 'SELECT * FROM j ORDER BY id',
    'sqls/j-cache.sql': "SELECT * FROM read_json('{{{conn.json}}}')",
    'sqls/d.yaml': 'url-path: /d\ntemplate-source: d.sql\ncache:\n  table: d\n  template-file: d-cache.sql\n',
    'sqls/d.sql': 'SELECT * FROM d ORDER BY k',
    'sqls/d-cache.sql': 'SELECT k, v FROM other.main.kv',
  });
  try {
    const other = await DuckDBInstance.create(join(p.dir, 'other.duckdb'));
    const conn = await other.connect();
    await conn.run("CREATE TABLE kv AS SELECT * FROM (VALUES ('a', 1), ('b', 2)) t(k, v)");
    conn.closeSync();
    other.closeSync();
    const manifest = await p.compile();
    const database = await openDatabase(manifest, { poolSize: 1 });
    try {
      assert.equal((await refreshCache(database, manifest, 'get_j')).rowCount, 2);
      assert.equal((await refreshCache(database, manifest, 'get_d')).rowCount, 2);
      assert.deepEqual((await database.query('SELECT id, tags FROM j ORDER BY id')).rows, [{ id: 1n, tags: ['a', 'b'] }, { id: 2n, tags: [] }]);
      assert.deepEqual((await database.query('SELECT k, v FROM d ORDER BY k')).rows, [{ k: 'a', v: 1 }, { k: 'b', v: 2 }]);
    } finally {
      await database.close();
    }
  } finally {
    p.remove();
  }
});
