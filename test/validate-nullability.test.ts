/**
 * Result columns are non-null in the manifest (and so in generated types and OpenAPI)
 * exactly where the query's shape proves it: NOT NULL and primary-key columns on the
 * preserved side of every join, count(*), non-NULL constants.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { provenNotNull } from '../cli/check/column-nullability.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
before(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run(`CREATE TABLE orders (id INTEGER PRIMARY KEY, customer VARCHAR NOT NULL, note VARCHAR, total DECIMAL(10,2) NOT NULL)`);
  await conn.run(`CREATE TABLE customers (name VARCHAR PRIMARY KEY, city VARCHAR NOT NULL)`);
  await conn.run(`CREATE VIEW order_view AS SELECT * FROM orders`);
});
after(() => {
  conn.closeSync();
  instance.closeSync();
});

const proven = (sql: string, names: string[]) => provenNotNull(conn, sql, names);

describe('column nullability', () => {
  it('proves declared NOT NULL and primary-key columns, count(*) and constants', async () => {
    assert.deepEqual(await proven('SELECT id, customer, note, total FROM orders WHERE id = $1', ['id', 'customer', 'note', 'total']), [true, true, false, true]);
    assert.deepEqual(await proven('SELECT o.customer, count(*) AS n, 1 AS one, NULL AS nothing, max(o.id) AS top FROM orders AS o GROUP BY ALL', ['customer', 'n', 'one', 'nothing', 'top']), [true, true, true, false, false]);
    assert.deepEqual(await proven('SELECT * FROM orders', ['id', 'customer', 'note', 'total']), [true, true, false, true]);
  });

  it('keeps the outer side of a join nullable', async () => {
    const sql = 'SELECT o.id, c.city FROM orders o LEFT JOIN customers c ON c.name = o.customer';
    assert.deepEqual(await proven(sql, ['id', 'city']), [true, false]);
    const inner = 'SELECT o.id, c.city FROM orders o JOIN customers c ON c.name = o.customer';
    assert.deepEqual(await proven(inner, ['id', 'city']), [true, true]);
    const right = 'SELECT o.id, c.city FROM orders o RIGHT JOIN customers c ON c.name = o.customer';
    assert.deepEqual(await proven(right, ['id', 'city']), [false, true]);
  });

  it('proves nothing it cannot see through', async () => {
    assert.deepEqual(await proven('SELECT id + 1 AS next FROM orders', ['next']), [false]);
    assert.deepEqual(await proven('SELECT id FROM order_view', ['id']), [false]);
    assert.deepEqual(await proven('WITH x AS (SELECT id FROM orders) SELECT id FROM x', ['id']), [false]);
    assert.deepEqual(await proven('SELECT id FROM orders UNION ALL SELECT id FROM orders', ['id']), [false]);
    assert.deepEqual(await proven('SELECT id FROM (SELECT id FROM orders) s', ['id']), [false]);
  });
});
