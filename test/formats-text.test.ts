import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance, type DuckDBConnection, type DuckDBResult } from '@duckdb/node-api';
import { csvStream, jsonStream, ndjsonStream, negotiateFormat } from '../runtime/formats/index.js';
import { rowObjectsFromResult } from '../runtime/serialize/index.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;

before(async () => {
  instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  conn = await instance.connect();
});

after(() => {
  conn.closeSync();
  instance.closeSync();
});

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** A strict RFC 4180 reader, to check the writer from the outside. */
function parseCsv(input: string): (string | null)[][] {
  const records: (string | null)[][] = [];
  let record: (string | null)[] = [];
  let i = 0;
  while (i < input.length) {
    let field: string | null;
    if (input[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = input.indexOf('"', i);
        assert.ok(q >= 0, 'unterminated quote');
        value += input.slice(i, q);
        if (input[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      field = value;
    } else {
      let end = i;
      while (end < input.length && input[end] !== ',' && input[end] !== '\r') end++;
      assert.ok(!input.slice(i, end).includes('"'), 'bare quote in an unquoted field');
      field = end === i ? null : input.slice(i, end);
      i = end;
    }
    record.push(field);
    if (input[i] === ',') i++;
    else {
      assert.equal(input.slice(i, i + 2), '\r\n', 'records end with CRLF');
      i += 2;
      records.push(record);
      record = [];
    }
  }
  return records;
}

const MIXED = `SELECT i AS id, CASE i % 4 WHEN 0 THEN 'plain' WHEN 1 THEN 'comma, "quoted"' WHEN 2 THEN E'line\\nbreak' ELSE '' END AS s,
  CASE WHEN i % 5 = 0 THEN NULL ELSE i * 1.25 END AS x, DATE '2024-02-28' + i::INTEGER AS day,
  [i, i * 2] AS pair, {'k': 'v' || i} AS obj, (i * 10000000000000)::BIGINT AS big
  FROM range(0, 3000) t(i) ORDER BY i`;

describe('negotiateFormat', () => {
  it('lets ?format= win and rejects unknown names', () => {
    assert.equal(negotiateFormat('text/csv', 'json'), 'json');
    assert.equal(negotiateFormat(undefined, 'CSV'), 'csv');
    assert.equal(negotiateFormat(undefined, 'arrow'), 'arrow');
    assert.equal(negotiateFormat(undefined, 'parquet'), 'parquet');
    assert.equal(negotiateFormat(undefined, 'jsonl'), 'ndjson');
    assert.equal(negotiateFormat('application/json', 'xml'), undefined);
  });

  it('reads Accept with quality values and wildcards', () => {
    assert.equal(negotiateFormat(undefined, undefined), 'json');
    assert.equal(negotiateFormat('', undefined), 'json');
    assert.equal(negotiateFormat('text/csv', undefined), 'csv');
    assert.equal(negotiateFormat('application/x-ndjson', undefined), 'ndjson');
    assert.equal(negotiateFormat('application/vnd.apache.arrow.stream', undefined), 'arrow');
    assert.equal(negotiateFormat('application/vnd.apache.parquet', undefined), 'parquet');
    assert.equal(negotiateFormat('text/csv;q=0.5, application/json', undefined), 'json');
    assert.equal(negotiateFormat('application/json;q=0.2, text/csv;q=0.9', undefined), 'csv');
    assert.equal(negotiateFormat('text/html,application/xhtml+xml,*/*;q=0.8', undefined), 'json');
    assert.equal(negotiateFormat('*/*, text/csv', undefined), 'csv');
    assert.equal(negotiateFormat('text/html', undefined), undefined);
    assert.equal(negotiateFormat('application/json;q=0', undefined), undefined);
  });
});

describe('text format streams', () => {
  it('JSON array equals the converted rows, with an envelope', async () => {
    const expected = await rowObjectsFromResult(await conn.run(MIXED));
    const body = await text(
      jsonStream(await conn.stream(MIXED), { prefix: '{"data":', suffix: (n) => `,"count":${n}}` }),
    );
    assert.deepEqual(JSON.parse(body), { data: expected, count: 3000 });
  });

  it('JSON of an empty result is an empty array', async () => {
    const body = await text(jsonStream(await conn.stream('SELECT 1 AS a WHERE false'), { prefix: '{"data":', suffix: '}' }));
    assert.equal(body, '{"data":[]}');
  });

  it('NDJSON has one parsable row per line', async () => {
    const expected = await rowObjectsFromResult(await conn.run(MIXED));
    const body = await text(ndjsonStream(await conn.stream(MIXED)));
    assert.ok(body.endsWith('\n'));
    const lines = body.slice(0, -1).split('\n');
    assert.equal(lines.length, 3000);
    assert.deepEqual(lines.map((line) => JSON.parse(line) as unknown), expected);
  });

  it('CSV follows RFC 4180 and round-trips every value', async () => {
    const expected = await rowObjectsFromResult(await conn.run(MIXED));
    const records = parseCsv(await text(csvStream(await conn.stream(MIXED))));
    assert.deepEqual(records[0], ['id', 's', 'x', 'day', 'pair', 'obj', 'big']);
    assert.equal(records.length, 3001);
    records.slice(1).forEach((record, i) => {
      const row = expected[i]!;
      const want = Object.values(row).map((v) =>
        v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v),
      );
      assert.deepEqual(record, want);
    });
    // The empty string and NULL stay different.
    assert.equal(records[4]![1], '');
    assert.equal(records[1]![2], null);
  });

  it('pulls chunks only as fast as the consumer reads', async () => {
    const result = await conn.stream('SELECT i, repeat(\'x\', 200) AS pad FROM range(0, 200000) t(i)');
    let fetched = 0;
    const counting = Object.assign(Object.create(result) as DuckDBResult, {
      fetchChunk: async () => {
        fetched++;
        return result.fetchChunk();
      },
    });
    const stream = ndjsonStream(counting);
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(fetched <= 3, `only a few chunks are read ahead (read ${fetched} of ~98)`);
    stream.destroy();
    await new Promise((resolve) => stream.once('close', resolve));
    const after = fetched;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(fetched, after, 'a destroyed stream stops reading');
  });
});
