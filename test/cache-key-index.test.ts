import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compileProject } from '../cli/compile-project.js';
import { refreshCache } from '../runtime/cache/index.js';
import { openDatabase, type Database } from '../runtime/db/index.js';
import { tempProject, type TempProject } from './support/cache-project.js';
import { PG_URL, pgFlapiYaml, postgresUnavailable, testSchema, type TestSchema } from './support/postgres.js';

// A cache's primary-key becomes an ART index on the table its endpoints read, after every
// refresh mode; unique only where the refresh keeps one row per key.

const pgUnavailable = await postgresUnavailable();

type Row = Record<string, unknown>;

async function indexesOf(database: Database, table: string): Promise<Row[]> {
  return (await database.query('SELECT index_name, is_unique FROM duckdb_indexes() WHERE table_name = $1 ORDER BY index_name', [table])).rows;
}

async function scanType(database: Database, sql: string): Promise<string | undefined> {
  const { rows } = await database.query(`EXPLAIN ANALYZE ${sql}`);
  return /Type: ([A-Za-z ]+?)\s*│/.exec(String(rows[0]?.['explain_value']))?.[1];
}

function endpoint(name: string, cache: string, connection = ''): string {
  return `url-path: /${name}\ntemplate-source: ${name}.sql\n${connection}with-pagination: false\ncache:\n  table: ${name}\n  schema: cached\n  template-file: ${name}-cache.sql\n${cache}`;
}

describe('cache key index from DuckDB SQL', () => {
  let project: TempProject;
  before(() => {
    project = tempProject({
      'flapi.yaml': `project-name: keyindex
template:
  path: ./sqls
connections:
  db:
    init: CREATE TABLE IF NOT EXISTS source AS SELECT range % 100000 AS id, 'row ' || range AS label, [range] AS tags FROM range(100010);
duckdb:
  db_path: ./cache.duckdb
`,
      'sqls/items.yaml': endpoint('items', '  primary-key: [id]\n'),
      'sqls/items.sql': 'SELECT id, label FROM cached.items ORDER BY id, label',
      // 10 keys occur twice: a full refresh serves the rows as selected.
      'sqls/items-cache.sql': 'SELECT id, label FROM source',
      'sqls/listed.yaml': endpoint('listed', '  primary-key: [tags]\n'),
      'sqls/listed.sql': 'SELECT * FROM cached.listed',
      'sqls/listed-cache.sql': 'SELECT id, tags FROM source',
      'sqls/misnamed.yaml': endpoint('misnamed', '  primary-key: [item_id]\n  cursor:\n    column: id\n    type: bigint\n'),
      'sqls/misnamed.sql': 'SELECT * FROM cached.misnamed',
      'sqls/misnamed-cache.sql': 'SELECT id, label FROM source',
    }, 'flapi-keyindex-');
  });
  after(() => project?.remove());

  it('a full refresh indexes the key of each new table, not unique, duplicate keys and all; lookups read the index', async () => {
    const manifest = await project.compile();
    const database = await openDatabase(manifest, { poolSize: 1 });
    try {
      const first = await refreshCache(database, manifest, 'get_items', { full: true });
      assert.equal(first.mode, 'full');
      assert.equal(first.rowCount, 100010);
      assert.deepEqual(await indexesOf(database, first.physicalTable!), [{ index_name: `${first.physicalTable}__id__idx`, is_unique: false }]);
      assert.equal(await scanType(database, 'SELECT * FROM cached.items WHERE id IN (3, 40000)'), 'Index Scan');
      assert.deepEqual((await database.query('SELECT label FROM cached.items WHERE id = 7 ORDER BY label')).rows, [{ label: 'row 100007' }, { label: 'row 7' }]);

      const second = await refreshCache(database, manifest, 'get_items', { full: true });
      assert.notEqual(second.physicalTable, first.physicalTable);
      assert.deepEqual(await indexesOf(database, second.physicalTable!), [{ index_name: `${second.physicalTable}__id__idx`, is_unique: false }]);
      assert.equal(await scanType(database, 'SELECT * FROM cached.items WHERE id = 99999'), 'Index Scan');
    } finally {
      await database.close();
    }
  });

  it('validate reports a primary-key that is not a column, or cannot be indexed, at its line; a refresh says the same', async () => {
    const result = await compileProject({ dir: project.dir, env: {} });
    const found = result.diagnostics.filter((d) => d.code === 'cache-primary-key').map((d) => [d.file.replace(`${project.dir}/`, ''), d.line, d.message]);
    assert.deepEqual(found, [
      ['sqls/listed.yaml', 8, 'primary-key (tags) cannot be indexed (Invalid type Error: Invalid Type [BIGINT[]]: Invalid type for index key.); name columns of plain types that the cache template selects'],
      ['sqls/misnamed.yaml', 8, 'primary-key (item_id) cannot be indexed (Binder Error: Table "misnamed" does not have a column named "item_id"); name columns of plain types that the cache template selects'],
    ]);
    const manifest = await project.compile();
    const database = await openDatabase(manifest, { poolSize: 1 });
    try {
      await assert.rejects(refreshCache(database, manifest, 'get_listed'), /refresh of get_listed's cache failed: primary-key \(tags\) cannot be indexed \(Invalid type Error: Invalid Type \[BIGINT\[\]\]/);
    } finally {
      await database.close();
    }
  });
});

describe('cache key index from PostgreSQL', { skip: pgUnavailable ?? false }, () => {
  let pg: TestSchema;
  let project: TempProject;
  let env: Record<string, string>;

  before(async () => {
    pg = await testSchema('flapi_keyindex');
    await pg.query(`CREATE TABLE orders (id int PRIMARY KEY, amount int, updated_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    await pg.query(`INSERT INTO orders (id, amount, updated_at) SELECT g, g, timestamptz '2024-01-01' + g * interval '1 second' FROM generate_series(1, 50000) g`);
    env = { TEST_PG_URL: PG_URL, TEST_PG_SCHEMA: pg.name };
    project = tempProject({
      'flapi.yaml': pgFlapiYaml('pgkeyindex', 'duckdb:\n  db_path: ./cache.duckdb\n'),
      'sqls/orders.yaml': endpoint('orders', '  primary-key: [id]\n  cursor:\n    column: updated_at\n    type: timestamptz\n', 'connection: [pg]\n'),
      'sqls/orders.sql': 'SELECT id, amount FROM cached.orders ORDER BY id',
      'sqls/orders-cache.sql': `SELECT id, amount, updated_at FROM {{conn.schema}}.orders
{{#cache.previousSnapshotTimestamp}} WHERE updated_at > '{{cache.previousSnapshotTimestamp}}' {{/cache.previousSnapshotTimestamp}}`,
    }, 'flapi-pgkeyindex-');
  });
  after(async () => {
    await pg?.drop();
    project?.remove();
  });

  it('a merge cache has a unique index from its first load on, kept through merges of updated and new keys', async () => {
    const manifest = await project.compile(env);
    const database = await openDatabase(manifest, { poolSize: 1, env });
    try {
      const first = await refreshCache(database, manifest, 'get_orders', { env });
      assert.equal(first.mode, 'full');
      const unique = [{ index_name: `${first.physicalTable}__id__key`, is_unique: true }];
      assert.deepEqual(await indexesOf(database, first.physicalTable!), unique);

      await pg.query('UPDATE orders SET amount = -id, updated_at = clock_timestamp() WHERE id IN (7, 8)');
      await pg.query('INSERT INTO orders (id, amount) VALUES (50001, 1), (50002, 2)');
      const merged = await refreshCache(database, manifest, 'get_orders', { env });
      assert.equal(merged.mode, 'merge');
      assert.equal(merged.rowsWritten, 4);
      assert.equal(merged.physicalTable, first.physicalTable, 'a merge changes the table it serves');
      assert.deepEqual(await indexesOf(database, merged.physicalTable!), unique);
      assert.equal(await scanType(database, 'SELECT id, amount FROM cached.orders WHERE id IN (8, 50002)'), 'Index Scan');
      assert.deepEqual((await database.query('SELECT id, amount FROM cached.orders WHERE id IN (8, 9, 50002) ORDER BY id')).rows,
        [{ id: 8, amount: -8 }, { id: 9, amount: 9 }, { id: 50002, amount: 2 }]);
      assert.equal(Number((await database.query('SELECT count(*) AS n FROM cached.orders')).rows[0]?.['n']), 50002);
    } finally {
      await database.close();
    }
  });
});
