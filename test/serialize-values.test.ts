import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  createJsonTextWriter,
  resultColumns,
  rowObjectsFromResult,
  toJsonValue,
} from '../runtime/serialize/index.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;

before(async () => {
  instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  conn = await instance.connect();
  await conn.run("CREATE TYPE mood AS ENUM ('sad', 'happy')");
});

after(() => {
  conn.closeSync();
  instance.closeSync();
});

async function one(sql: string): Promise<Record<string, unknown>> {
  const rows = await rowObjectsFromResult(await conn.run(sql));
  assert.equal(rows.length, 1);
  return rows[0]!;
}

describe('DuckDB → JSON values', () => {
  it('keeps integers exact: numbers within ±2^53, strings beyond', async () => {
    const row = await one(`SELECT 42::TINYINT a, 9007199254740991::BIGINT b, 9007199254740993::BIGINT c,
      -9007199254740993::BIGINT d, 18446744073709551615::UBIGINT e,
      170141183460469231731687303715884105727::HUGEINT f, 12::HUGEINT g, 4294967295::UINTEGER h`);
    assert.deepEqual(row, {
      a: 42, b: 9007199254740991, c: '9007199254740993', d: '-9007199254740993',
      e: '18446744073709551615', f: '170141183460469231731687303715884105727', g: 12, h: 4294967295,
    });
  });

  it('gives DECIMAL as exact strings and non-finite floats as null', async () => {
    const row = await one(`SELECT 123.4500::DECIMAL(10,4) a, -0.05::DECIMAL(4,2) b,
      12345678901234567890.123456789::DECIMAL(38,9) c, 'nan'::DOUBLE d, '-inf'::DOUBLE e,
      0.1::FLOAT f, 1.5::DOUBLE g, 3::DECIMAL(3,0) h`);
    assert.deepEqual(row, {
      a: '123.4500', b: '-0.05', c: '12345678901234567890.123456789', d: null, e: null, f: 0.1, g: 1.5, h: '3',
    });
  });

  it('writes temporal values as ISO-8601', async () => {
    const row = await one(`SELECT DATE '2024-01-02' a, TIMESTAMP '2024-01-02 03:04:05.123456' b,
      TIMESTAMP '1969-12-31 23:59:59.5' c, TIMESTAMPTZ '2024-01-02 03:04:05+02' d, TIME '12:34:56.5' e,
      TIMETZ '12:00:00+05:30' f, TIMESTAMP_S '2020-01-01 00:00:01' g, TIMESTAMP_MS '2020-01-01 00:00:01.25' h,
      TIMESTAMP_NS '2020-01-01 00:00:01.123456789' i, 'infinity'::DATE j, '-infinity'::TIMESTAMP k,
      DATE '0044-03-15' l, TIMESTAMP '2500-06-01 10:00:00' m, DATE '1900-02-28' n`);
    assert.deepEqual(row, {
      a: '2024-01-02', b: '2024-01-02T03:04:05.123456', c: '1969-12-31T23:59:59.5', d: '2024-01-02T01:04:05Z',
      e: '12:34:56.5', f: '12:00:00+05:30', g: '2020-01-01T00:00:01', h: '2020-01-01T00:00:01.25',
      i: '2020-01-01T00:00:01.123456789', j: 'infinity', k: '-infinity', l: '0044-03-15',
      m: '2500-06-01T10:00:00', n: '1900-02-28',
    });
  });

  it('agrees with DuckDB on every day and time across four centuries', async () => {
    const result = await conn.run(`SELECT ts, strftime(ts, '%Y-%m-%dT%H:%M:%S') AS expected, ts::DATE AS d,
        strftime(ts, '%Y-%m-%d') AS expected_d
      FROM (SELECT TIMESTAMP '1800-01-01' + to_seconds(i * 7919 * 3631) AS ts FROM range(0, 4000) t(i))`);
    const rows = await rowObjectsFromResult(result);
    assert.equal(rows.length, 4000);
    for (const row of rows) {
      assert.equal(row.ts, row.expected);
      assert.equal(row.d, row.expected_d);
    }
  });

  it('maps INTERVAL to ISO-8601 durations', async () => {
    const row = await one(`SELECT INTERVAL '1 year 2 months 3 days 04:05:06.5' a, -INTERVAL '90 minutes' b,
      INTERVAL '0 seconds' c, INTERVAL '14 months' d`);
    assert.deepEqual(row, { a: 'P1Y2M3DT4H5M6.5S', b: 'PT-1H-30M', c: 'PT0S', d: 'P1Y2M' });
  });

  it('maps nested types, UUID, BLOB, ENUM, BIT and UNION', async () => {
    const row = await one(`SELECT [1, NULL, 3] a, {'x': 1, 'y': [DATE '2024-05-06']} b,
      MAP {'k': 1.5::DECIMAL(3,1), 'j': NULL} c, MAP {1: 'one'} d, [1, 2, 3]::INTEGER[3] e,
      UUID '123e4567-e89b-12d3-a456-426614174000' f, '\\xAA\\x01hi'::BLOB g, 'happy'::mood h,
      '101'::BIT i, union_value(k := 2) j, [[9007199254740993]] k, MAP {'__proto__': 1} l`);
    assert.deepEqual(row.a, [1, null, 3]);
    assert.deepEqual(row.b, { x: 1, y: ['2024-05-06'] });
    assert.deepEqual(row.c, { k: '1.5', j: null });
    assert.deepEqual(row.d, { 1: 'one' });
    assert.deepEqual(row.e, [1, 2, 3]);
    assert.equal(row.f, '123e4567-e89b-12d3-a456-426614174000');
    assert.equal(row.g, Buffer.from([0xaa, 0x01, 0x68, 0x69]).toString('base64'));
    assert.equal(row.h, 'happy');
    assert.equal(row.i, '101');
    assert.equal(row.j, 2);
    assert.deepEqual(row.k, [['9007199254740993']]);
    assert.equal(JSON.stringify(row.l), '{"__proto__":1}');
  });

  it('keeps every column of duplicate names and passes NULLs through', async () => {
    const row = await one(`SELECT 1 id, 2 id, NULL::VARCHAR s, NULL::TIMESTAMP t, NULL::INTEGER[] l`);
    assert.deepEqual(row, { id: 1, 'id:1': 2, s: null, t: null, l: null });
  });

  it('converts a lone value with toJsonValue', async () => {
    const reader = await conn.runAndReadAll(`SELECT DATE '2001-09-09' d`);
    assert.equal(toJsonValue(reader.getRows()[0]![0]!, reader.columnTypes()[0]!), '2001-09-09');
  });
});

describe('JSON text writer', () => {
  it('writes exactly JSON.stringify of the row objects, across chunks', async () => {
    const sql = `SELECT i, i::VARCHAR || '"\\' AS s, i * 0.5 AS d, i % 2 = 0 AS b, (i * 1000000000000)::BIGINT AS big,
      DATE '2020-01-01' + i::INTEGER AS day, [i, i + 1] AS l, {'k': i} AS st, 'x"y' AS "we""ird",
      CASE WHEN i % 3 = 0 THEN NULL ELSE i END AS n, (i / 7)::DECIMAL(10,3) AS dec,
      (i - 2500)::BIGINT * 3689348814741910 AS huge, (i::UBIGINT * 3689348814741910) AS ubig,
      (i::HUGEINT - 2500) * 1000000000000000000000 AS hugeint, CASE WHEN i % 5 = 0 THEN NULL ELSE -i END::BIGINT AS negn,
      CASE i % 4 WHEN 0 THEN 'infinity'::TIMESTAMP WHEN 1 THEN '-infinity'::TIMESTAMP WHEN 2 THEN NULL
        ELSE TIMESTAMP '1969-12-31 23:59:58.5' + to_microseconds(i * 123456789) END AS ts,
      TIMESTAMPTZ '2001-01-01 00:00:00+00' + to_seconds(i * 9999) AS tstz,
      CASE WHEN i % 6 = 0 THEN 'infinity'::DATE ELSE DATE '0001-01-01' + (i * 365)::INTEGER END AS oldday
      FROM range(0, 5000) t(i)`;
    const expected = JSON.stringify(await rowObjectsFromResult(await conn.run(sql)));
    const result = await conn.stream(sql);
    const writer = createJsonTextWriter(resultColumns(result));
    const parts: string[] = [];
    let chunks = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      chunks++;
      parts.push(writer.rowsText(chunk, ','));
    }
    assert.ok(chunks > 1, 'the result spans several chunks');
    assert.equal(`[${parts.join(',')}]`, expected);
    assert.equal((JSON.parse(expected) as unknown[]).length, 5000);
  });
});
