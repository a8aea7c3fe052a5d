/**
 * GEOMETRY values come out as WKT, exactly as DuckDB's own VARCHAR cast writes them,
 * in JSON rows, CSV and MCP alike (flAPI answers WKT).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, type DuckDBConnection, type DuckDBGeometryValue } from '@duckdb/node-api';
import { wkbText } from '../runtime/serialize/wkb-text.js';
import { rowObjectsFromResult } from '../runtime/serialize/index.js';
import { startServer, silentLogger } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';

const SHAPES = [
  'POINT(1 2)', 'POINT EMPTY', 'POINT Z (1 2 3)', 'LINESTRING(0 0, 1.5 2)', 'LINESTRING EMPTY',
  'POLYGON((0 0, 1 0, 1 1, 0 0), (0.2 0.2, 0.4 0.2, 0.4 0.4, 0.2 0.2))', 'MULTIPOINT((1 2), (3 4))',
  'MULTILINESTRING((0 0, 1 1), (2 2, 3 3))', 'MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))',
  'GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1))',
];

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

describe('GEOMETRY as WKT', () => {
  it('writes every OGC type as DuckDB writes it', async () => {
    for (const shape of SHAPES) {
      const reader = await conn.runAndReadAll(`SELECT '${shape}'::GEOMETRY AS g, CAST('${shape}'::GEOMETRY AS VARCHAR) AS t`);
      const [g, t] = reader.getRows()[0]!;
      assert.equal(wkbText((g as DuckDBGeometryValue).bytes), t, shape);
    }
    assert.deepEqual(await rowObjectsFromResult(await conn.run(`SELECT 'POINT(1 2)'::GEOMETRY AS g`)), [{ g: 'POINT (1 2)' }]);
  });

  it('answers WKT over HTTP in JSON and CSV', async () => {
    const server = await startServer(manifest([endpoint({ urlPath: '/shape', sql: "SELECT 'LINESTRING(0 0, 1 1)'::GEOMETRY AS g" })]), { port: 0, logger: silentLogger });
    try {
      assert.deepEqual(await (await fetch(`${server.url}/shape`)).json(), [{ g: 'LINESTRING (0 0, 1 1)' }]);
      assert.equal(await (await fetch(`${server.url}/shape?format=csv`)).text(), 'g\r\n"LINESTRING (0 0, 1 1)"\r\n');
    } finally {
      await server.close();
    }
  });
});
