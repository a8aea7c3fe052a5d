import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { sqlErrorSummary, templatePositionOf } from '../cli/check/sql-error-position.js';

async function duckdbError(sql: string): Promise<Error> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run('CREATE TABLE items (id INTEGER, name VARCHAR, unit_price DOUBLE)');
    await connection.run(sql);
  } catch (err) {
    return err as Error;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  throw new Error(`DuckDB accepted ${sql}`);
}

test("a dry-run error keeps DuckDB's hint and drops the LINE excerpt", async () => {
  const sql = 'SELECT id,\n  unit_pric\nFROM items';
  const err = await duckdbError(sql);
  assert.match(err.message, /\nLINE 2:/, 'DuckDB itself names the line');
  const summary = sqlErrorSummary(err);
  assert.equal(summary, 'Binder Error: Referenced column "unit_pric" not found in FROM clause! Candidate bindings: "unit_price", "id"');
  assert.deepEqual(templatePositionOf(err.message, sql, sql), { line: 2, column: 3 });
});

test('a misspelt table keeps "Did you mean"; a message without hints stays one line', async () => {
  assert.equal(sqlErrorSummary(await duckdbError('SELECT * FROM itemz')), 'Catalog Error: Table with name itemz does not exist! Did you mean "items"?');
  assert.equal(sqlErrorSummary(await duckdbError('SELECT id FROM items WHERE')), 'Parser Error: syntax error at end of input');
  assert.equal(sqlErrorSummary('plain text'), 'plain text');
});

test('flapi validate shows the hint in the dry-run diagnostic', async () => {
  const { validate } = await import('../cli/commands/validate.js');
  let out = '';
  const io = { stdout: (t: string) => { out += t; }, stderr: (t: string) => { out += t; } };
  assert.equal(await validate('test/fixtures/validate/sql-error', {}, io), 1);
  assert.match(out, /item\.sql:5:7 {2}error {2}SQL error in dry-run: Binder Error: Referenced column "colour" not found in FROM clause! Candidate bindings: "[a-z]+"/);
});
