import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startDevSession } from '../cli/dev/dev-session.js';
import { compileProject } from '../cli/compile-project.js';
import { silentLogger } from '../runtime/app/index.js';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createFlightsIndexSql, REPO_ROOT } from '../bench/harness/flights-table.js';
import { createDeclaredIndexes } from '../runtime/db/declared-indexes.js';
import { openDatabase, type Database } from '../runtime/db/index.js';
import { tempProject } from './support/cache-project.js';

// Indexes a connection declares on the tables its init creates: made right after init,
// again (as a no-op) wherever init runs again, and refused by validate where they cannot be.

const INIT = `CREATE TABLE IF NOT EXISTS items AS SELECT range AS id, 'item ' || range AS label, range % 7 AS shelf, [range] AS tags FROM range(1, 200001);
      CREATE SCHEMA IF NOT EXISTS store;
      CREATE TABLE IF NOT EXISTS store.shelves AS SELECT range AS shelf FROM range(7);
      CREATE VIEW IF NOT EXISTS item_labels AS SELECT id, label FROM items;`;

function flapiYaml(indexes: string, dbPath = ''): string {
  return `project-name: indexes
template:
  path: ./sqls
connections:
  db:
    init: |
      ${INIT}
${indexes}
${dbPath ? `duckdb:\n  db_path: ${dbPath}\n` : ''}`;
}

const ENDPOINT = {
  'sqls/items.yaml': 'url-path: /items/:id\ntemplate-source: items.sql\nwith-pagination: false\nrequest:\n  - field-name: id\n    field-in: path\n    validators: [{ type: int }]\n',
  'sqls/items.sql': 'SELECT id, label FROM items WHERE id = {{params.id}}',
  'sqls/indexes.yaml': 'url-path: /indexes\ntemplate-source: indexes.sql\nwith-pagination: false\n',
  'sqls/indexes.sql': 'SELECT schema_name, index_name, table_name, is_unique, expressions FROM duckdb_indexes() ORDER BY index_name',
};

type Row = Record<string, unknown>;

async function indexes(database: Database): Promise<Row[]> {
  return (await database.query('SELECT schema_name, index_name, table_name, is_unique FROM duckdb_indexes() ORDER BY index_name')).rows;
}

/** The physical operator DuckDB chose to read the table, from EXPLAIN ANALYZE. */
async function scanType(database: Database, sql: string): Promise<string | undefined> {
  const { rows } = await database.query(`EXPLAIN ANALYZE ${sql}`);
  return /Type: ([A-Za-z ]+?)\s*│/.exec(String(rows[0]?.['explain_value']))?.[1];
}

describe('declared indexes', () => {
  const projects: { remove(): void }[] = [];
  after(() => projects.forEach((p) => p.remove()));

  it('the short and the long form each make one index after init; a lookup by key reads the index', async () => {
    const project = tempProject({
      ...ENDPOINT,
      'flapi.yaml': flapiYaml(`    indexes:
      items: [id]
      store.shelves: { columns: shelf, unique: true }
  more:
    indexes:
      - { table: items, columns: [shelf, label], unique: false }
      - table: items
        columns: label
        unique: true`),
    }, 'flapi-indexes-');
    projects.push(project);
    const manifest = await project.compile();
    assert.deepEqual(manifest.connections['db']!.indexes, [
      { table: 'items', columns: ['id'], unique: false }, { table: 'store.shelves', columns: ['shelf'], unique: true }]);
    assert.deepEqual(manifest.connections['more']!.indexes, [
      { table: 'items', columns: ['shelf', 'label'], unique: false }, { table: 'items', columns: ['label'], unique: true }]);
    const database = await openDatabase(manifest, { poolSize: 1 });
    try {
      assert.deepEqual(await indexes(database), [
        { schema_name: 'main', index_name: 'items__id__idx', table_name: 'items', is_unique: false },
        { schema_name: 'main', index_name: 'items__label__key', table_name: 'items', is_unique: true },
        { schema_name: 'main', index_name: 'items__shelf_label__idx', table_name: 'items', is_unique: false },
        { schema_name: 'store', index_name: 'shelves__shelf__key', table_name: 'shelves', is_unique: true },
      ]);
      // Ids far apart: DuckDB reads adjacent ones (IN (1, 2)) as a range and zone-maps it instead.
      assert.equal(await scanType(database, 'SELECT id, label FROM items WHERE id IN (1, 20000)'), 'Index Scan');
      assert.equal(await scanType(database, 'SELECT id, label FROM items WHERE shelf + 0 = 3'), 'Sequential Scan', 'the probe tells the two apart');
    } finally {
      await database.close();
    }
  });

  it('a reload of flapi dev on the same file runs init and the indexes again, as no-ops; a changed uniqueness replaces the index', async () => {
    const project = tempProject({ ...ENDPOINT, 'flapi.yaml': flapiYaml('    indexes:\n      items: [id]', './data.duckdb') }, 'flapi-indexes-');
    projects.push(project);
    const errors: string[] = [];
    const session = await startDevSession({ dir: project.dir, port: '0', env: {}, logger: silentLogger, watch: false, out: () => {}, err: (t) => void errors.push(t) });
    try {
      assert.ok(session.url, errors.join(''));
      const served = async () => (await (await fetch(`${session.url}/indexes`)).json()) as Row[];
      assert.deepEqual((await served()).map((r) => r['index_name']), ['items__id__idx']);
      assert.equal(await session.reload(), true, errors.join(''));
      assert.equal(session.generation, 2);
      assert.deepEqual((await served()).map((r) => r['index_name']), ['items__id__idx']);
      assert.deepEqual(await (await fetch(`${session.url}/items/7`)).json(), [{ id: 7, label: 'item 7' }]);

      project.write('flapi.yaml', flapiYaml('    indexes:\n      items: { columns: [id], unique: true }', './data.duckdb'));
      assert.equal(await session.reload(), true, errors.join(''));
      assert.deepEqual((await served()).map((r) => [r['index_name'], r['is_unique']]), [['items__id__key', true]]);
    } finally {
      await session.close();
    }
  });

  it('validate names the file and line of a declaration on a missing table or column, a view, a list column or duplicate keys', async () => {
    const project = tempProject({
      ...ENDPOINT,
      'flapi.yaml': flapiYaml(`    indexes:
      items: [idd]
      itemz: [id]
      item_labels: [id]
      main.items:
        columns: [id]
  lists:
    indexes:
      - { table: items, columns: [tags] }
      - { table: items, columns: [shelf], unique: true }`),
    }, 'flapi-indexes-');
    projects.push(project);
    const result = await compileProject({ dir: project.dir, env: {} });
    const found = result.diagnostics.filter((d) => d.code === 'index').map((d) => [d.file.replace(`${project.dir}/`, ''), d.line, d.severity, d.message]);
    assert.deepEqual(found, [
      ['flapi.yaml', 12, 'error', 'connection `db` declares an index on items(idd) that cannot be created (Binder Error: Table "items" does not have a column named "idd"); name columns that items has'],
      ['flapi.yaml', 13, 'error', 'connection `db` declares an index on itemz(id) that cannot be created (Catalog Error: Table with name itemz does not exist!); name a table that `init` creates'],
      ['flapi.yaml', 14, 'error', 'connection `db` declares an index on item_labels(id) that cannot be created (Binder Error: can only create an index on a base table); index the table the view reads instead'],
      ['flapi.yaml', 19, 'error', 'connection `lists` declares an index on items(tags) that cannot be created (Invalid type Error: Invalid Type [BIGINT[]]: Invalid type for index key.); index only columns of plain types (numbers, text, dates), not lists or structs'],
      ['flapi.yaml', 20, 'error', 'connection `lists` declares a unique index on items(shelf) that cannot be created (Constraint Error: Data contains duplicates on indexed column(s)); the table has rows with the same key: remove `unique: true` or make the key unique'],
    ]);
    assert.equal(result.manifest, undefined);
  });

  it('validate plans lookups on the declared indexes: a lookup by an indexed key is not reported as a scan', async () => {
    const lookupScans = async (indexes: string) => {
      const project = tempProject({ ...ENDPOINT, 'flapi.yaml': flapiYaml(indexes) }, 'flapi-indexes-');
      projects.push(project);
      const result = await compileProject({ dir: project.dir, env: {} });
      assert.ok(result.manifest, result.diagnostics.map((d) => d.message).join('\n'));
      return result.diagnostics.filter((d) => d.code === 'lookup-scans').map((d) => d.file.replace(`${project.dir}/`, ''));
    };
    assert.deepEqual(await lookupScans('    indexes:\n      items: [shelf]'), ['sqls/items.sql']);
    assert.deepEqual(await lookupScans('    indexes:\n      items: [id]'), []);
  });

  it('the server refuses to start on a declaration it cannot make, saying which and why; a unique index on duplicate keys too', async () => {
    for (const [indexes, message] of [
      ['      itemz: [id]', /^connection `db` declares an index on itemz\(id\) that cannot be created \(Catalog Error: Table with name itemz does not exist!\); name a table that `init` creates$/],
      ['      items: { columns: [shelf], unique: true }', /^connection `db` declares a unique index on items\(shelf\) that cannot be created \(Constraint Error: Data contains duplicates on indexed column\(s\)\); the table has rows with the same key: remove `unique: true` or make the key unique$/],
    ] as const) {
      const project = tempProject({ ...ENDPOINT, 'flapi.yaml': flapiYaml(`    indexes:\n${indexes}`) }, 'flapi-indexes-');
      projects.push(project);
      const manifest = await project.compile();
      await assert.rejects(openDatabase(manifest, { poolSize: 1 }), (err: Error) => {
        assert.match(err.message, message);
        return true;
      });
    }
  });

  it('a schema error for a declaration without columns points at it', async () => {
    const project = tempProject({ ...ENDPOINT, 'flapi.yaml': flapiYaml('    indexes:\n      - { table: items }\n      - { table: items, columns: [] }') }, 'flapi-indexes-');
    projects.push(project);
    const result = await compileProject({ dir: project.dir, env: {} });
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.message]);
    assert.deepEqual(errors, [
      [12, '`connections.db.indexes.0` is missing the required key `columns`; add it'],
      [13, '`connections.db.indexes.1.columns` must NOT have fewer than 1 items; fix it'],
    ]);
  });

  it('the bench peers make the very index examples/flights declares', async () => {
    const { manifest } = await compileProject({ dir: `${REPO_ROOT}examples/flights`, env: {}, dryRun: false });
    assert.deepEqual(manifest?.connections['flights-data']?.indexes, [{ table: 'flights', columns: ['id'], unique: true }]);
    const made = async (create: (conn: DuckDBConnection) => Promise<unknown>) => {
      const instance = await DuckDBInstance.create(':memory:');
      const conn = await instance.connect();
      try {
        await conn.run('CREATE TABLE flights AS SELECT range AS id FROM range(10)');
        await create(conn);
        return (await conn.runAndReadAll('SELECT index_name, is_unique, expressions FROM duckdb_indexes()')).getRowObjectsJS();
      } finally {
        conn.closeSync();
        instance.closeSync();
      }
    };
    assert.deepEqual(await made((conn) => conn.run(createFlightsIndexSql())), await made((conn) => createDeclaredIndexes(conn, manifest!)));
  });
});
