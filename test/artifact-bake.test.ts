import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { bakeArtifact } from '../cli/bake/bake-artifact.js';
import { compileProject } from '../cli/compile-project.js';
import { silentLogger, startServer } from '../runtime/index.js';
import type { Manifest } from '../runtime/manifest.js';
import { tempProject } from './support/cache-project.js';
import { PG_URL, postgresUnavailable, testSchema } from './support/postgres.js';

const pgUnavailable = await postgresUnavailable();

const root = new URL('..', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'flapi-bake-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'bin/flapi.js'), ...args], { cwd: root, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function rows(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function manifestOf(dir: string): Promise<Manifest> {
  const result = await compileProject({ dir, env: {} });
  assert.ok(result.manifest, result.diagnostics.map((d) => d.message).join('\n'));
  return result.manifest;
}

describe('flapi bake examples/flights', () => {
  const out = join(scratch, 'flights.duckdb');

  it('writes the init tables with a metadata table, and a server answers from it as flapi dev does', async () => {
    const run = await cli(['bake', 'examples/flights', '--out', out, '--artifact-version', 'test-1', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { version: string; tables: { schema: string; name: string; rows: number; origin: string }[] };
    assert.equal(result.version, 'test-1');
    assert.deepEqual(result.tables.map((t) => [t.name, t.rows, t.origin]), [['airports', 3376, 'init'], ['flights', 3_000_000, 'init']]);
    assert.deepEqual(readdirSync(scratch), ['flights.duckdb'], 'no temporary file is left next to the artifact');

    const [meta] = await rows(out, 'SELECT version, flapi_version, project, source FROM _flapi_artifact');
    assert.equal(meta!['version'], 'test-1');
    assert.equal(meta!['project'], 'flights');
    const source = JSON.parse(String(meta!['source'])) as { connections: Record<string, { files: Record<string, { bytes: number }> }> };
    assert.ok(source.connections['flights-data']!.files['flights']!.bytes > 1_000_000, 'the parquet source is described by size');
    assert.deepEqual(await rows(out, 'SELECT table_name, row_count::INTEGER AS row_count FROM _flapi_artifact_tables ORDER BY 1'), [
      { table_name: 'airports', row_count: 3376 }, { table_name: 'flights', row_count: 3_000_000 }]);

    const manifest = await manifestOf(join(root, 'examples/flights'));
    const dev = await startServer(manifest, { port: 0, logger: silentLogger });
    const served = await startServer({ ...manifest, duckdb: { ...manifest.duckdb, dbPath: out } }, { port: 0, logger: silentLogger });
    try {
      assert.equal(served.current.database.readOnly, true);
      for (const path of ['/flights/123456', '/airports/SFO', '/routes/busiest?limit=3', '/flights?origin=SFO&limit=2']) {
        const [a, b] = await Promise.all([fetch(dev.url + path), fetch(served.url + path)]);
        assert.equal(b.status, 200, path);
        assert.equal(await b.text(), await a.text(), path);
      }
      const ready = (await (await fetch(`${served.url}/_flapi/ready`)).json()) as { artifact: { version: string } };
      assert.equal(ready.artifact.version, 'test-1');
    } finally {
      await Promise.all([dev.close(), served.close()]);
    }
  });
});

describe('baking caches', () => {
  it('refreshes every cache into the artifact, which then serves without refreshing', async () => {
    const p = tempProject({
      'flapi.yaml': 'project-name: shop\ntemplate:\n  path: ./sqls\nconnections:\n  files:\n    properties:\n      data: ./items.csv\n    init: CREATE TABLE IF NOT EXISTS regions AS SELECT * FROM (VALUES (1, \'north\'), (2, \'south\')) t(id, name)\n',
      'items.csv': 'id,name,region\n1,apple,1\n2,pear,2\n3,plum,1\n',
      'sqls/items.yaml': 'url-path: /items\ntemplate-source: items.sql\nconnection: [files]\nwith-pagination: false\ncache:\n  table: items\n  schema: shop\n  schedule: 1h\n  template-file: items-cache.sql\n',
      'sqls/items.sql': 'SELECT i.id, i.name, r.name AS region FROM {{cache.schema}}.{{cache.table}} i JOIN regions r ON r.id = i.region ORDER BY i.id',
      'sqls/items-cache.sql': "SELECT * FROM read_csv('{{{conn.data}}}', header = true)",
    }, 'flapi-bake-cache-');
    try {
      const manifest = await p.compile();
      // Not `shop.duckdb`: DuckDB would name the catalog `shop`, beside the schema `shop`.
      const out = join(p.dir, 'shop-artifact.duckdb');
      const result = await bakeArtifact({ manifest, out, flapiVersion: 'test' });
      assert.deepEqual(result.caches.map((c) => [c.endpoint, c.status, c.rowCount]), [['get_items', 'succeeded', 3]]);
      const origins = result.tables.map((t) => `${t.schema}.${t.name}:${t.origin}:${t.rows}`);
      assert.ok(origins.includes('main.regions:init:2'), origins.join(', '));
      assert.ok(origins.some((o) => /^shop\.items__v\d+:cache:get_items:3$/.test(o)), origins.join(', '));

      // The project still validates against its own artifact (the dry-run attaches it read-only).
      const against = await compileProject({ dir: p.dir, env: { FLAPI_DATABASE: out } });
      assert.deepEqual(against.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
      assert.equal(against.manifest?.duckdb.dbPath, out);

      // The CSV goes away: the served artifact must not need it, nor refresh.
      rmSync(join(p.dir, 'items.csv'));
      const server = await startServer({ ...manifest, duckdb: { ...manifest.duckdb, dbPath: out } }, { port: 0, logger: silentLogger });
      try {
        const ready = await fetch(`${server.url}/_flapi/ready`);
        assert.equal(ready.status, 200, await ready.clone().text());
        assert.deepEqual(await (await fetch(`${server.url}/items`)).json(), [
          { id: 1, name: 'apple', region: 'north' }, { id: 2, name: 'pear', region: 'south' }, { id: 3, name: 'plum', region: 'north' }]);
      } finally {
        await server.close();
      }
    } finally {
      p.remove();
    }
  });
});

describe('baking a cache from PostgreSQL', { skip: pgUnavailable ?? false }, () => {
  it('streams the source into the artifact, which then validates and serves without PostgreSQL', async () => {
    const pg = await testSchema('flapi_bake');
    const p = tempProject({
      'flapi.yaml': `project-name: pgshop\ntemplate:\n  path: ./sqls\n  environment-whitelist: ['^TEST_PG_.*']\nconnections:\n  pg:\n    type: postgres\n    url: '{{env.TEST_PG_URL}}'\n    properties:\n      schema: '{{env.TEST_PG_SCHEMA}}'\n`,
      'sqls/orders.yaml': 'url-path: /orders\ntemplate-source: orders.sql\nconnection: [pg]\nwith-pagination: false\ncache:\n  table: orders\n  schema: pgcache\n  template-file: orders-cache.sql\n  primary-key: [id]\n  cursor:\n    column: updated_at\n    type: timestamptz\n',
      'sqls/orders.sql': 'SELECT id, amount FROM pgcache.orders ORDER BY id',
      'sqls/orders-cache.sql': 'SELECT id, amount, updated_at FROM {{conn.schema}}.orders',
    }, 'flapi-bake-pg-');
    try {
      await pg.query('CREATE TABLE orders (id int PRIMARY KEY, amount numeric(10,2), updated_at timestamptz NOT NULL)');
      await pg.query("INSERT INTO orders SELECT g, g * 2.5, timestamptz '2024-01-01' + g * interval '1 hour' FROM generate_series(1, 500) g");
      const env = { TEST_PG_URL: PG_URL, TEST_PG_SCHEMA: pg.name };
      const manifest = await p.compile(env);
      const out = join(p.dir, 'pg-artifact.duckdb');
      const result = await bakeArtifact({ manifest, out, flapiVersion: 'test', env });
      assert.deepEqual(result.caches.map((c) => [c.endpoint, c.status, c.rowCount]), [['get_orders', 'succeeded', 500]]);

      // The project validates against its artifact (the dry-run attaches it read-only beside PostgreSQL's description)...
      const against = await compileProject({ dir: p.dir, env: { ...env, FLAPI_DATABASE: out } });
      assert.deepEqual(against.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
      // ...and once PostgreSQL goes away, the artifact is all the server needs.
      await pg.drop();
      const server = await startServer(against.manifest!, { port: 0, logger: silentLogger });
      try {
        const rows = (await (await fetch(`${server.url}/orders`)).json()) as { id: number; amount: string }[];
        assert.equal(rows.length, 500);
        assert.deepEqual(rows[1], { id: 2, amount: '5.00' });
      } finally {
        await server.close();
      }
    } finally {
      await pg.drop();
      p.remove();
    }
  });
});

describe('a bake that fails', () => {
  it('leaves the previous artifact untouched and no temporary file', async () => {
    const p = tempProject({
      'flapi.yaml': 'project-name: broken\ntemplate:\n  path: ./sqls\nconnections:\n  db:\n    properties:\n      data: ./data.csv\n    init: CREATE TABLE t AS SELECT * FROM read_csv(\'{{{conn.data}}}\')\n',
      'data.csv': 'id\n1\n',
      'sqls/t.yaml': 'url-path: /t\ntemplate-source: t.sql\nconnection: [db]\n',
      'sqls/t.sql': 'SELECT * FROM t',
    }, 'flapi-bake-fail-');
    try {
      const manifest = await p.compile();
      const out = join(p.dir, 'out.duckdb');
      writeFileSync(out, 'the previous artifact');
      rmSync(join(p.dir, 'data.csv'));
      await assert.rejects(bakeArtifact({ manifest, out, flapiVersion: 'test' }), /init of connection "db" failed: IO Error: No files found that match the pattern/);
      assert.equal((await import('node:fs')).readFileSync(out, 'utf8'), 'the previous artifact');
      assert.deepEqual(readdirSync(p.dir).filter((f) => f.includes('flapi-bake')), []);
    } finally {
      p.remove();
    }
  });

  it('does not start on a project with errors (exit 1)', async () => {
    const out = join(scratch, 'never.duckdb');
    const run = await cli(['bake', 'test/fixtures/validate/duplicate-route', '--out', out]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /flapi bake: the project has errors; nothing was baked/);
    assert.equal(existsSync(out), false);
  });
});
