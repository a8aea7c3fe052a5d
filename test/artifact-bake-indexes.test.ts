import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { bakeArtifact } from '../cli/bake/bake-artifact.js';
import { tempProject } from './support/cache-project.js';

// A baked artifact is opened read-only, where no index can be made: it must already hold
// the declared indexes and each cache's key index.

const project = tempProject({
  'flapi.yaml': `project-name: bakedindexes
template:
  path: ./sqls
connections:
  db:
    init: CREATE TABLE IF NOT EXISTS items AS SELECT range AS id, range % 10 AS kind FROM range(1, 100001);
    indexes:
      items: { columns: [id], unique: true }
      main.items: kind
duckdb:
  db_path: ./data.duckdb
`,
  'sqls/items.yaml': 'url-path: /items\ntemplate-source: items.sql\n',
  'sqls/items.sql': 'SELECT * FROM items ORDER BY id',
  'sqls/kinds.yaml': `url-path: /kinds
template-source: kinds.sql
cache:
  table: kinds
  schema: cached
  template-file: kinds-cache.sql
  primary-key: [id]
  cursor:
    column: id
    type: bigint
`,
  'sqls/kinds.sql': 'SELECT * FROM cached.kinds ORDER BY id',
  'sqls/kinds-cache.sql': 'SELECT id, kind FROM items',
}, 'flapi-bake-indexes-');
after(() => project.remove());

it('flapi bake writes the declared indexes and the cache key index into the file; a read-only open scans them', async () => {
  const manifest = await project.compile();
  const out = join(project.dir, 'artifact.duckdb');
  const result = await bakeArtifact({ manifest, out, flapiVersion: 'test', env: {} });
  const physical = result.caches[0]!.physicalTable!;

  const instance = await DuckDBInstance.create(out, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const indexes = (await connection.runAndReadAll(
      'SELECT schema_name, table_name, index_name, is_unique FROM duckdb_indexes() ORDER BY index_name')).getRowObjectsJS();
    assert.deepEqual(indexes, [
      { schema_name: 'main', table_name: 'items', index_name: 'items__id__key', is_unique: true },
      { schema_name: 'main', table_name: 'items', index_name: 'items__kind__idx', is_unique: false },
      { schema_name: 'cached', table_name: physical, index_name: `${physical}__id__key`, is_unique: true },
    ].sort((a, b) => a.index_name.localeCompare(b.index_name)));
    for (const sql of ['SELECT * FROM items WHERE id IN (5, 50000)', 'SELECT * FROM cached.kinds WHERE id = 77']) {
      const plan = String((await connection.runAndReadAll(`EXPLAIN ANALYZE ${sql}`)).getRows()[0]![1]);
      assert.match(plan, /Type: Index Scan/, sql);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
});
