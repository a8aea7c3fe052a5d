/**
 * flAPI-style cache projects: flAPI's usual naming (`schema: cache` in `cache.duckdb`),
 * `ducklake.alias` as the cache catalog, cache templates that write their own table, and
 * `{{cache.catalog}}.{{cache.schema}}.{{cache.table}}` through a bake and a served artifact.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bakeArtifact } from '../cli/bake/bake-artifact.js';
import { compileProject } from '../cli/compile-project.js';
import { silentLogger, startServer } from '../runtime/index.js';
import { tempProject } from './support/cache-project.js';
import { PG_URL, postgresUnavailable, testSchema } from './support/postgres.js';
import { S3RVER_CREDENTIALS, startS3Server } from './support/s3-server.js';

const pgUnavailable = await postgresUnavailable();

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

describe('a cache with schema `cache` in cache.duckdb', { skip: pgUnavailable ?? false }, () => {
  it('refreshes from PostgreSQL and serves, also after a restart', async () => {
    const pg = await testSchema('flapi_compat');
    const p = tempProject({
      'flapi.yaml': "project-name: shop\ntemplate:\n  path: ./sqls\n  environment-whitelist: ['^TEST_PG_.*']\nduckdb:\n  db_path: ./cache.duckdb\nconnections:\n  pg:\n    type: postgres\n    url: '{{env.TEST_PG_URL}}'\n    properties:\n      schema: '{{env.TEST_PG_SCHEMA}}'\n",
      'sqls/orders.yaml': 'url-path: /orders\ntemplate-source: orders.sql\nconnection: [pg]\nwith-pagination: false\ncache:\n  table: orders\n  schema: cache\n  template-file: orders-cache.sql\n',
      'sqls/orders.sql': 'SELECT id, amount FROM {{cache.catalog}}.{{cache.schema}}.{{cache.table}} ORDER BY id',
      'sqls/orders-cache.sql': 'SELECT id, amount FROM {{conn.schema}}.orders',
    }, 'flapi-compat-pg-');
    try {
      await pg.query('CREATE TABLE orders (id int PRIMARY KEY, amount int)');
      await pg.query('INSERT INTO orders VALUES (1, 10), (2, 20)');
      const env = { TEST_PG_URL: PG_URL, TEST_PG_SCHEMA: pg.name };
      const manifest = await p.compile(env);
      for (let run = 0; run < 2; run++) {
        const server = await startServer(manifest, { port: 0, logger: silentLogger, env, cacheRefresh: 'manual' });
        try {
          // The second start serves what the first one kept in cache.duckdb, then refreshes again.
          if (run === 1) assert.deepEqual(await getJson(`${server.url}/orders`), [{ id: 1, amount: 10 }, { id: 2, amount: 20 }]);
          const report = await fetch(`${server.url}/_flapi/cache/get_orders/refresh`, { method: 'POST' });
          assert.equal(report.status, 200, await report.clone().text());
          assert.deepEqual(await getJson(`${server.url}/orders`), [{ id: 1, amount: 10 }, { id: 2, amount: 20 }]);
        } finally {
          await server.close();
        }
      }
    } finally {
      await pg.drop();
      p.remove();
    }
  });
});

describe('ducklake.alias and a cache template that writes its own table', () => {
  const p = tempProject({
    'flapi.yaml': "project-name: lake\ntemplate:\n  path: ./sqls\n  environment-whitelist: ['^LAKE_DIR$']\nducklake:\n  enabled: true\n  alias: cache\n  metadata-path: '{{env.LAKE_DIR}}/meta.ducklake'\n",
    'sqls/items.yaml': 'url-path: /items/\ntemplate-source: items.sql\nwith-pagination: false\ncache:\n  table: items_cache\n  schema: lake_schema\n  primary-key: [id]\n  cursor:\n    column: updated_at\n    type: timestamp\n  delete-handling: soft\n  template-file: items-cache.sql\n',
    'sqls/items.sql': "SELECT id, note, '{{cache.catalog}}' AS catalog FROM {{cache.catalog}}.{{cache.schema}}.{{cache.table}} ORDER BY id",
    // Names written with the alias resolve in validate as on the server.
    'sqls/count.yaml': 'url-path: /count\ntemplate-source: count.sql\nwith-pagination: false\n',
    'sqls/count.sql': 'SELECT count(*)::INT AS n FROM cache.lake_schema.items_cache',
    // flAPI's older style: the template creates and fills the table itself.
    'sqls/items-cache.sql': [
      '-- Create the table if needed',
      'CREATE TABLE IF NOT EXISTS {{cache.catalog}}.{{cache.schema}}.{{cache.table}} (id INTEGER, note VARCHAR);',
      "INSERT INTO {{cache.catalog}}.{{cache.schema}}.{{cache.table}} SELECT i, 'snapshot {{cache.snapshotId}}' FROM range(1, 4) t(i);",
    ].join('\n'),
  }, 'flapi-compat-lake-');
  after(() => p.remove());

  it('validates: the dry-run runs the self-writing cache template in its scratch database', async () => {
    const result = await compileProject({ dir: p.dir, env: { LAKE_DIR: p.dir } });
    assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
    const columns = (name: string) => result.manifest?.endpoints.find((e) => e.name === name)?.columns.map((c) => c.name);
    assert.deepEqual(columns('get_items'), ['id', 'note', 'catalog']);
    assert.deepEqual(columns('get_count'), ['n']);
  });

  it('keeps the cache in a database attached as the alias, and appends on each refresh', async () => {
    const env = { LAKE_DIR: p.dir };
    const manifest = await p.compile(env);
    assert.deepEqual(manifest.duckdb.cacheCatalog, { alias: 'cache', path: join(p.dir, 'meta.duckdb') });
    const server = await startServer(manifest, { port: 0, logger: silentLogger, env, cacheRefresh: 'manual' });
    try {
      const first = await fetch(`${server.url}/_flapi/cache/get_items/refresh`, { method: 'POST' });
      assert.equal(first.status, 200, await first.clone().text());
      const rows = (await getJson(`${server.url}/items/`)) as { id: number; catalog: string }[];
      assert.deepEqual(rows.map((r) => [r.id, r.catalog]), [[1, 'cache'], [2, 'cache'], [3, 'cache']]);
      const refresh = await fetch(`${server.url}/_flapi/cache/get_items/refresh`, { method: 'POST' });
      assert.equal(refresh.status, 200, await refresh.clone().text());
      // Incremental (cursor): the template's INSERT adds to the table being served; as in flAPI
      // the table need not have the cursor column.
      assert.equal(((await getJson(`${server.url}/items/`)) as unknown[]).length, 6);
    } finally {
      await server.close();
    }
  });
});

describe('flapi bake with {{cache.catalog}}.{{cache.schema}}.{{cache.table}}', () => {
  const p = tempProject({
    'flapi.yaml': 'project-name: baked\ntemplate:\n  path: ./sqls\nduckdb:\n  db_path: ./cache.duckdb\n',
    'sqls/items.yaml': 'url-path: /items\ntemplate-source: items.sql\nwith-pagination: false\ncache:\n  table: items\n  schema: cache\n  template-file: items-cache.sql\n',
    'sqls/items.sql': 'SELECT id FROM {{cache.catalog}}.{{cache.schema}}.{{cache.table}} ORDER BY id',
    'sqls/items-cache.sql': 'SELECT i AS id FROM range(1, 4) t(i)',
  }, 'flapi-compat-bake-');
  after(() => p.remove());

  it('bakes, and the artifact serves under another file name, locally and from S3', async () => {
    const manifest = await p.compile();
    const out = join(p.dir, 'release.duckdb');
    const result = await bakeArtifact({ manifest, out, flapiVersion: 'test' });
    assert.deepEqual(result.caches.map((c) => [c.endpoint, c.status, c.rowCount]), [['get_items', 'succeeded', 3]]);
    const local = await startServer({ ...manifest, duckdb: { ...manifest.duckdb, dbPath: out } }, { port: 0, logger: silentLogger });
    try {
      assert.deepEqual(await getJson(`${local.url}/items`), [{ id: 1 }, { id: 2 }, { id: 3 }]);
    } finally {
      await local.close();
    }
    // The SDK's default credential chain reads these, as on a developer machine.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1' });
    const s3 = await startS3Server();
    try {
      await s3.put('shop/latest.duckdb', readFileSync(out));
      const artifact = { pollIntervalMs: 0, downloadDir: p.dir };
      const served = await startServer({ ...manifest, duckdb: { ...manifest.duckdb, dbPath: `s3://${s3.bucket}/shop/latest.duckdb`, artifact } },
        { port: 0, logger: silentLogger, env: { ...process.env, AWS_ENDPOINT_URL: s3.endpoint } });
      try {
        assert.deepEqual(await getJson(`${served.url}/items`), [{ id: 1 }, { id: 2 }, { id: 3 }]);
      } finally {
        await served.close();
      }
    } finally {
      await s3.close();
    }
  });
});
