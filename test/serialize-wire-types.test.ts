/**
 * The wire-type table (runtime/serialize/wire-types.ts) is the one place that says how a
 * DuckDB type crosses the wire. Its ids and names must be DuckDB's own, and every reader
 * of it must agree: the OpenAPI schema and the TypeScript type of a column describe what
 * the JSON encoder writes for it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection } from '@duckdb/node-api';
import { WIRE_TYPES, wireTypeOfId, wireTypeOfName } from '../runtime/serialize/wire-types.js';
import { columnSchema } from '../runtime/openapi/column-schema.js';
import { columnType } from '../cli/build/ts-types.js';
import { rowObjectsFromResult } from '../runtime/serialize/index.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
before(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});
after(() => {
  conn.closeSync();
  instance.closeSync();
});

/** Names that need arguments or are not castable by name on their own. */
// JSON is a VARCHAR with an alias at run time: wireTypeOf() finds it by the alias.
const CAST_AS: Record<string, string> = { DECIMAL: 'DECIMAL(10,2)', NUMERIC: 'NUMERIC(10,2)', NULL: '', SQLNULL: '', GEOMETRY: '', JSON: '' };

describe('wire types', () => {
  it('uses DuckDB\'s own type ids', () => {
    for (const type of WIRE_TYPES) {
      for (const id of type.ids) assert.equal(DuckDBTypeId[id] !== undefined, true, `${type.kind}: id ${id} is a DuckDB type id`);
    }
    assert.equal(wireTypeOfId(DuckDBTypeId.BIGINT).kind, 'wide-int');
    assert.equal(wireTypeOfId(DuckDBTypeId.TIMESTAMP_NS).kind, 'timestamp');
    assert.equal(wireTypeOfName('varchar').kind, 'text');
  });

  it('maps every name to the id DuckDB gives a value of that type', async () => {
    for (const type of WIRE_TYPES) {
      for (const name of type.names) {
        const cast = CAST_AS[name] ?? name;
        if (cast === '') continue;
        const sql = `SELECT NULL::${cast} AS v`;
        const result = await conn.run(sql);
        assert.ok(type.ids.includes(result.columnTypeId(0)), `${name}: DuckDB says ${DuckDBTypeId[result.columnTypeId(0)]}`);
      }
    }
  });

  it('describes in OpenAPI and TypeScript what the encoder writes', async () => {
    const samples: [string, string][] = [
      ['BIGINT', '9007199254740993::BIGINT'],
      ['INTEGER', '42'],
      ['DOUBLE', "'nan'::DOUBLE"],
      ['DECIMAL(10,2)', '3.50::DECIMAL(10,2)'],
      ['DATE', "DATE '2024-02-29'"],
      ['TIMESTAMP', "TIMESTAMP '2024-02-29 12:00:00'"],
      ['BOOLEAN', 'true'],
      ['UUID', "'00000000-0000-4000-8000-000000000000'::UUID"],
    ];
    for (const [type, expr] of samples) {
      const value = (await rowObjectsFromResult(await conn.run(`SELECT ${expr} AS v`)))[0]!['v'];
      const schema = columnSchema({ name: 'v', type, nullable: true });
      const ts = columnType({ name: 'v', type, nullable: false }).text;
      const jsType = value === null ? 'null' : typeof value;
      const schemaTypes = ([] as unknown[]).concat(schema['type'] ?? []);
      const allowed = jsType === 'number' ? ['number', 'integer'] : [jsType];
      assert.ok(schemaTypes.some((t) => allowed.includes(String(t))), `${type}: schema ${JSON.stringify(schema['type'])} admits ${jsType}`);
      const tsAdmits = ts.split(' | ').some((t) => t === jsType || (t === 'WideInteger' && (jsType === 'number' || jsType === 'string')));
      assert.ok(tsAdmits, `${type}: TypeScript ${ts} admits ${jsType}`);
    }
  });
});
