import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createJsonReader, SMALL_STREAK, type JsonRead } from '../runtime/plan/json-read.js';
import { rowsJson } from '../runtime/plan/rows-json.js';
import { pooledConnection, type PooledConnection } from '../runtime/db/index.js';
import { startServer, type HttpServerHandle } from '../runtime/index.js';
import { endpoint, manifest } from './serve-fixture.js';

/** Many chunks (DuckDB's are 2,048 rows) and the value kinds with their own encoders. */
const TABLE_SQL = `CREATE TABLE mixed AS
  SELECT i AS id,
         CASE WHEN i % 7 = 0 THEN NULL ELSE 'name "' || i || '" \\ é ✈ ' || chr(10) END AS label,
         i * 1.25 AS price,
         (i % 3 = 0) AS flag,
         TIMESTAMP '2001-01-01 00:00:00' + to_seconds(i * 37) AS at,
         DATE '1999-12-31' + (i % 400)::INTEGER AS day,
         i::BIGINT * 1000003 AS big,
         [i, i + 1] AS pair
  FROM range(0, 30000) t(i)`;

const ALL = 'SELECT * FROM mixed WHERE id >= $1 ORDER BY id';

let instance: DuckDBInstance;
let raw: DuckDBConnection;
let lease: PooledConnection;

async function reference(minId: number): Promise<string> {
  const statement = await raw.prepare(ALL);
  statement.bind([minId]);
  return rowsJson(statement, await statement.run()).text;
}

async function bodyText(read: JsonRead): Promise<string> {
  if (read.kind === 'buffered') return read.text;
  const parts: Buffer[] = [];
  for await (const part of read.body as AsyncIterable<Buffer>) parts.push(part);
  return Buffer.concat(parts).toString('utf8');
}

before(async () => {
  instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  raw = await instance.connect();
  await raw.run(TABLE_SQL);
  lease = pooledConnection(await instance.connect(), 8);
});

after(() => {
  lease.connection.closeSync();
  raw.closeSync();
  instance.closeSync();
});

describe('JSON reads: buffered when small, streamed when large', () => {
  it('streams a large result with the same bytes as the buffered text, then switches to DuckDB streaming', async () => {
    const expected = await reference(0);
    assert.ok(expected.length > 100_000);
    const reader = createJsonReader({ bufferLimit: 50_000 });
    let released = 0;
    const request = { lease, sql: ALL, values: [0], release: () => void released++ };

    const first = await reader.read(request);
    assert.equal(first.kind, 'streamed');
    assert.equal(first.kind === 'streamed' && first.holdsLease, false, 'a materialised result needs no connection');
    assert.equal(await bodyText(first), expected);
    assert.equal(reader.streaming, true);

    const second = await reader.read(request);
    assert.equal(second.kind, 'streamed');
    assert.equal(second.kind === 'streamed' && second.holdsLease, true);
    assert.equal(released, 0);
    assert.equal(await bodyText(second), expected);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(released, 1, 'the connection is given back when the stream closes');
    assert.equal(JSON.parse(expected).length, 30000);
  });

  it('buffers results under the limit in either mode and materialises again after a run of small ones', async () => {
    const reader = createJsonReader({ bufferLimit: 50_000 });
    const big = { lease, sql: ALL, values: [0], release: () => {} };
    await bodyText(await reader.read(big));
    assert.equal(reader.streaming, true);
    const small = { lease, sql: ALL, values: [29_990], release: () => assert.fail('a buffered read holds no lease') };
    const expected = await reference(29_990);
    for (let i = 0; i < SMALL_STREAK; i++) {
      const read = await reader.read(small);
      assert.equal(read.kind, 'buffered');
      assert.equal(await bodyText(read), expected);
      assert.equal(read.kind === 'buffered' && read.rowCount, 10);
    }
    assert.equal(reader.streaming, false);
    const empty = await reader.read({ lease, sql: ALL, values: [1_000_000], release: () => {} });
    assert.deepEqual(empty, { kind: 'buffered', text: '[]', rowCount: 0 });
  });

  it('buffers a result written as bytes (chunks of hundreds of rows) as the same text', async () => {
    const reader = createJsonReader();
    for (const minId of [29_000, 27_500]) {
      const read = await reader.read({ lease, sql: ALL, values: [minId], release: () => assert.fail('a buffered read holds no lease') });
      assert.equal(read.kind, 'buffered');
      assert.equal(await bodyText(read), await reference(minId));
      assert.equal(read.kind === 'buffered' && read.rowCount, 30_000 - minId);
    }
  });

  it('stops reading when the client goes away mid-stream', async () => {
    const reader = createJsonReader({ bufferLimit: 50_000 });
    const request = { lease, sql: ALL, values: [0], release: () => {} };
    await bodyText(await reader.read(request));
    let released = 0;
    const read = await reader.read({ ...request, release: () => void released++ });
    assert.equal(read.kind, 'streamed');
    (read as { body: Readable }).body.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(released, 1);
    // The connection is usable again right away.
    assert.equal(await bodyText(await reader.read({ ...request, values: [29_999] })), await reference(29_999));
  });
});

describe('an unpaginated JSON endpoint over HTTP', () => {
  let server: HttpServerHandle;
  before(async () => {
    const m = manifest([endpoint({ urlPath: '/mixed', sql: 'SELECT * FROM mixed WHERE id >= 0 ORDER BY id' })], TABLE_SQL);
    m.server = { ...m.server, responseCacheBytes: 64 << 20 };
    server = await startServer(m, { port: 0 });
  });
  after(async () => {
    await server.close();
  });

  it('answers a body over the buffer limit in chunks, byte-identical, and leaves it out of the cache', async () => {
    const expected = await reference(0);
    assert.ok(expected.length > 1 << 20, 'larger than the default buffer limit');
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${server.url}/mixed`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/json');
      assert.equal(response.headers.get('transfer-encoding'), 'chunked');
      assert.equal(response.headers.get('x-cache'), 'MISS');
      assert.equal(Buffer.from(await response.arrayBuffer()).toString('utf8'), expected);
    }
    assert.equal(server.current.database.pool.inUse, 0);
  });
});
