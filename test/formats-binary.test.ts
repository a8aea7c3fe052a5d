import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { DataType, tableFromIPC, TimeUnit, type Timestamp, type Decimal } from 'apache-arrow';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { CONTENT_TYPES, arrowStream, contentDisposition, parquetExport } from '../runtime/formats/index.js';
import { rowObjectsFromResult } from '../runtime/serialize/index.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let server: Server;
let base: string;
const scratch = mkdtempSync(join(tmpdir(), 'flapi-formats-'));

const TYPES_SQL = `SELECT i::INTEGER AS int, (i * 1000000000000)::BIGINT AS big, i / 4 AS dbl, i % 3 = 0 AS flag,
  CASE WHEN i % 5 = 0 THEN NULL ELSE 'ünï ' || i END AS txt, DATE '2001-01-01' + i::INTEGER AS day,
  TIMESTAMP '2001-01-01 00:00:00.000001' + to_microseconds(i * 1000003) AS ts, (i / 7 - 100)::DECIMAL(12,3) AS dec,
  [i, i + 1] AS pair, (i % 100)::TINYINT AS tiny
  FROM range(0, 5000) t(i) WHERE i < $1 ORDER BY i`;

before(async () => {
  instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  conn = await instance.connect();
  const app = new Koa();
  app.use(async (ctx) => {
    const n = Number(ctx.query.n ?? 5000);
    if (ctx.path === '/arrow') {
      const prepared = await conn.prepare(TYPES_SQL);
      prepared.bind([n]);
      ctx.type = CONTENT_TYPES.arrow;
      ctx.body = arrowStream(await prepared.stream());
    } else if (ctx.path === '/parquet') {
      const { stream, size } = await parquetExport({
        sql: `${TYPES_SQL.replace('WHERE i < $1', "WHERE i < $1 AND $2 <> ''")};`,
        tmpDir: scratch,
        execute: async (copySql) => {
          const prepared = await conn.prepare(copySql);
          prepared.bind([n, String(ctx.query.tag ?? 'x')]);
          return prepared.run();
        },
      });
      ctx.type = CONTENT_TYPES.parquet;
      ctx.length = size;
      ctx.set('Content-Disposition', contentDisposition('parquet', 'get_flights')!);
      ctx.body = stream;
    }
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  conn.closeSync();
  instance.closeSync();
  rmSync(scratch, { recursive: true, force: true });
});

async function expectedRows(n: number) {
  const prepared = await conn.prepare(`SELECT *, epoch_us(ts) AS ts_us, (dec * 1000)::BIGINT AS dec_unscaled FROM (${TYPES_SQL})`);
  prepared.bind([n]);
  return rowObjectsFromResult(await prepared.run());
}

describe('Arrow IPC stream', () => {
  it('streams typed record batches that apache-arrow reads back exactly', async () => {
    const response = await fetch(`${base}/arrow`);
    assert.equal(response.headers.get('content-type'), 'application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    assert.equal(table.numRows, 5000);
    assert.ok(table.batches.length >= 3, 'one batch per DuckDB chunk');
    const type = (name: string) => table.schema.fields.find((f) => f.name === name)!.type;
    assert.ok(DataType.isInt(type('int')) && type('int').bitWidth === 32);
    assert.ok(DataType.isInt(type('big')) && type('big').bitWidth === 64);
    assert.ok(DataType.isInt(type('tiny')) && type('tiny').bitWidth === 8);
    assert.ok(DataType.isFloat(type('dbl')));
    assert.ok(DataType.isBool(type('flag')));
    assert.ok(DataType.isUtf8(type('txt')));
    assert.ok(DataType.isDate(type('day')));
    assert.ok(DataType.isTimestamp(type('ts')) && (type('ts') as Timestamp).unit === TimeUnit.MICROSECOND);
    assert.ok(DataType.isDecimal(type('dec')) && (type('dec') as Decimal).scale === 3);
    assert.ok(DataType.isUtf8(type('pair')), 'nested types fall back to JSON text');

    const expected = await expectedRows(5000);
    const col = (name: string) => table.getChild(name)!;
    const tsWords = table.batches.flatMap((b) => [...(b.getChild('ts')!.data[0]!.values as BigInt64Array)]);
    const decWords = table.batches.flatMap((b) => {
      const words = b.getChild('dec')!.data[0]!.values as Uint32Array;
      const big = new BigInt64Array(words.buffer, words.byteOffset, words.length / 2);
      return Array.from({ length: b.numRows }, (_, i) => big[2 * i]!);
    });
    for (let i = 0; i < 5000; i += 97) {
      const row = expected[i]!;
      assert.equal(col('int').get(i), row.int);
      assert.equal(String(col('big').get(i)), String(row.big));
      assert.equal(col('dbl').get(i), row.dbl);
      assert.equal(col('flag').get(i), row.flag);
      assert.equal(col('txt').get(i), row.txt);
      assert.equal(new Date(col('day').get(i) as number).toISOString().slice(0, 10), row.day);
      assert.equal(String(tsWords[i]), String(row.ts_us));
      assert.equal(String(decWords[i]), String(row.dec_unscaled));
      assert.deepEqual(JSON.parse(col('pair').get(i) as string), row.pair);
    }
    assert.equal(col('txt').get(0), null);
    assert.equal(col('txt').nullCount, 1000);
  });

  it('writes a valid empty stream for an empty result', async () => {
    const response = await fetch(`${base}/arrow?n=0`);
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    assert.equal(table.numRows, 0);
    assert.equal(table.schema.fields.length, 10);
  });
});

describe('Parquet export', () => {
  it('runs the query with bound values through COPY and streams the file', async () => {
    const tag = "x'); DROP TABLE nope; --";
    const response = await fetch(`${base}/parquet?n=1234&tag=${encodeURIComponent(tag)}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/vnd.apache.parquet');
    assert.equal(response.headers.get('content-disposition'), 'attachment; filename="get_flights.parquet"');
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.equal(Number(response.headers.get('content-length')), bytes.length);
    assert.equal(bytes.subarray(0, 4).toString(), 'PAR1');
    const file = join(scratch, 'downloaded.parquet');
    writeFileSync(file, bytes);
    const back = await rowObjectsFromResult(await conn.run(`SELECT * FROM read_parquet('${file}') ORDER BY int`));
    const expected = (await expectedRows(1234)).map(({ ts_us, dec_unscaled, ...row }) => row);
    assert.deepEqual(back, expected);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(readdirSync(scratch).filter((f) => f.startsWith('flapi-')), [], 'the temp file is deleted');
  });

  it('works on a read-only database and cleans up after a failing query', async () => {
    const dbFile = join(scratch, 'ro.duckdb');
    const writer = await DuckDBInstance.create(dbFile);
    const w = await writer.connect();
    await w.run(`CREATE TABLE t AS SELECT i FROM range(0, 10) r(i)`);
    w.closeSync();
    writer.closeSync();
    const ro = await DuckDBInstance.create(dbFile, { access_mode: 'READ_ONLY', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    const c = await ro.connect();
    try {
      const run = (values: DuckDBValue[]) => async (sql: string) => {
        const prepared = await c.prepare(sql);
        prepared.bind(values);
        return prepared.run();
      };
      const { stream } = await parquetExport({ sql: 'SELECT i FROM t WHERE i >= $1', execute: run([7]), tmpDir: scratch });
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const file = join(scratch, 'ro-out.parquet');
      writeFileSync(file, Buffer.concat(chunks));
      const rows = await rowObjectsFromResult(await c.run(`SELECT i FROM read_parquet('${file}') ORDER BY i`));
      assert.deepEqual(rows, [{ i: 7 }, { i: 8 }, { i: 9 }]);
      await assert.rejects(parquetExport({ sql: 'SELECT * FROM missing_table', execute: run([]), tmpDir: scratch }));
      assert.deepEqual(readdirSync(scratch).filter((f) => f.startsWith('flapi-')), []);
    } finally {
      c.closeSync();
      ro.closeSync();
    }
    assert.ok(existsSync(dbFile));
  });
});
