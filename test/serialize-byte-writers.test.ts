/**
 * The byte writers of large results (JsonTextWriter.writeRows, CsvTextWriter.writeRows)
 * against the text writers they stand in for: the same bytes for every type, NULL, the
 * edges of each fast path (±2^53, years outside 0000–9999, infinities, inline and
 * out-of-line strings, escapes, a byte order mark, non-ASCII), over chunks with and
 * without NULLs. And the sink they write into.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, type DuckDBConnection, type DuckDBDataChunk } from '@duckdb/node-api';
import { createCsvTextWriter } from '../runtime/formats/csv-text.js';
import { ByteSink, createJsonTextWriter, resultColumns, type BigintMode, type ResultColumn } from '../runtime/serialize/index.js';
import { putInt } from '../runtime/serialize/encoded-column.js';

const STRINGS = [
  `''`, `'a'`, `'abcdefghijkl'`, `'abcdefghijklm'`, `'say "hi"'`, `'comma,here'`, `'line' || chr(10) || 'break'`,
  `'cr' || chr(13) || 'lf'`, `'tab' || chr(9) || 'bs' || chr(8) || 'ff' || chr(12)`, `chr(1) || chr(31) || chr(127)`,
  `'back\\slash'`, `'é ✈ 日本'`, `'😀 emoji and more than twelve bytes'`, `chr(65279) || 'after a BOM'`, `chr(65279)`,
  `'x' || chr(65279)`, `chr(8232) || chr(8233)`, `repeat('long ascii ', 100)`, `repeat('ünïcödé ', 50)`, `'"'`, `','`,
];

/** One row per special value of each column; columns run out of specials and repeat their first. */
const SPECIALS: Record<string, string[]> = {
  b: ['true', 'false'],
  i8: ['-128', '127', '0'],
  i16: ['-32768', '32767'],
  i32: ['-2147483648', '2147483647', '-1'],
  i64: ['0', '-1', '9007199254740991', '9007199254740992', '-9007199254740991', '-9007199254740992', '9223372036854775807', '-9223372036854775808', '4294967296', '-4294967297'],
  u8: ['255'],
  u16: ['65535'],
  u32: ['4294967295', '2147483648'],
  u64: ['9007199254740991', '9007199254740992', '18446744073709551615'],
  i128: ['170141183460469231731687303715884105727'],
  f32: ['0.1', `'nan'`, `'inf'`],
  f64: ['0.1', '-0.0', '1e21', '1e-7', `'nan'`, `'inf'`, `'-inf'`, '9007199254740992', '123456789.125', '-5'],
  dec: ['123.456', '-0.001'],
  s: STRINGS,
  e: [`'sad'`, `'happy'`],
  d: [`'1970-01-01'`, `'2000-02-29'`, `'0001-01-01'`, `'0999-12-31'`, `'9999-12-31'`, `'0044-03-15 (BC)'`, `'infinity'`, `'-infinity'`, `'1969-12-31'`],
  t: [`'12:34:56.5'`],
  ts: [`'2001-01-01 00:01:00'`, `'2001-01-01 00:00:00.123456'`, `'2001-01-01 00:00:00.1'`, `'1969-12-31 23:59:59.999999'`,
    `'0001-01-01 00:00:00'`, `'9999-12-31 23:59:59.999999'`, `'2300-06-01 10:00:00.5'`, `'0010-01-01 (BC)'`, `'infinity'`, `'-infinity'`],
  tz: [`'2001-01-01 00:01:00+00'`, `'1900-05-05 05:05:05.000001+00'`, `'infinity'`],
  ts_s: [`'2001-01-01 00:01:00'`],
  ts_ns: [`'2001-01-01 00:01:00.123456789'`],
  iv: [`INTERVAL 90 MINUTE`],
  u: [`'00000000-0000-0000-0000-000000000001'`],
  bl: [`'\\x00\\xFFab'::BLOB`],
  l: ['[1, NULL, 3]'],
  st: [`{'k': 'v', 'n': 1}`],
  m: [`MAP {'a': 1}`],
  j: [`'{"a":[1,2]}'`],
};

const TYPES: Record<string, string> = {
  b: 'BOOLEAN', i8: 'TINYINT', i16: 'SMALLINT', i32: 'INTEGER', i64: 'BIGINT', u8: 'UTINYINT', u16: 'USMALLINT', u32: 'UINTEGER',
  u64: 'UBIGINT', i128: 'HUGEINT', f32: 'FLOAT', f64: 'DOUBLE', dec: 'DECIMAL(18,3)', s: 'VARCHAR', e: 'mood', d: 'DATE', t: 'TIME',
  ts: 'TIMESTAMP', tz: 'TIMESTAMPTZ', ts_s: 'TIMESTAMP_S', ts_ns: 'TIMESTAMP_NS', iv: 'INTERVAL', u: 'UUID', bl: 'BLOB',
  l: 'INTEGER[]', st: 'STRUCT(k VARCHAR, n INTEGER)', m: 'MAP(VARCHAR, INTEGER)', j: 'JSON',
};

const ROWS = Math.max(...Object.values(SPECIALS).map((values) => values.length));

let instance: DuckDBInstance;
let conn: DuckDBConnection;

before(async () => {
  instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  conn = await instance.connect();
  await conn.run(`CREATE TYPE mood AS ENUM ('sad', 'happy')`);
  const names = Object.keys(TYPES);
  await conn.run(`CREATE TABLE specials (${names.map((n) => `"${n}" ${TYPES[n]}`).join(', ')})`);
  for (let r = 0; r < ROWS; r++) {
    const values = names.map((n) => `(${SPECIALS[n]![r % SPECIALS[n]!.length]})::${TYPES[n]}`);
    await conn.run(`INSERT INTO specials VALUES (${values.join(', ')})`);
  }
});

after(() => {
  conn.closeSync();
  instance.closeSync();
});

/** Several chunks: every special many times, and rows where every other column is NULL. */
const MANY = `SELECT ${Object.keys(TYPES).map((n) => `CASE WHEN (i + ${n.length}) % 5 = 0 THEN NULL ELSE "${n}" END AS "${n}"`).join(', ')}
  FROM specials, range(0, 300) r(i) ORDER BY i, s NULLS FIRST`;

/** Runs of equal values (sorted data), a NULL inside a run: what the writers may reuse from the row before. */
const RUNS = `SELECT d, ts, tz, s, i64 FROM specials, range(0, 3) r(i)
  UNION ALL SELECT NULL, NULL, NULL, NULL, NULL
  ORDER BY ts NULLS FIRST, d, tz, s`;

async function chunksOf(sql: string): Promise<{ columns: ResultColumn[]; chunks: DuckDBDataChunk[] }> {
  const result = await conn.stream(sql);
  const chunks: DuckDBDataChunk[] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    chunks.push(chunk);
  }
  return { columns: resultColumns(result), chunks };
}

describe('byte writers', () => {
  const cases: Record<string, string> = {
    'over every special value': `SELECT * FROM specials`,
    'over several chunks with NULLs': MANY,
    'over runs of equal values': RUNS,
  };
  for (const [label, sql] of Object.entries(cases)) {
    it(`JSON bytes equal the JSON text in each bigint mode, ${label}`, async () => {
      const { columns, chunks } = await chunksOf(sql);
      assert.ok(chunks.length > (sql === MANY ? 2 : 0));
      for (const mode of ['auto', 'number', 'string'] as BigintMode[]) {
        const writer = createJsonTextWriter(columns, mode);
        const sink = new ByteSink(4096);
        for (const separator of [',', '\n']) {
          for (const chunk of chunks) {
            writer.writeRows(chunk, separator, sink);
            const expected = writer.rowsText(chunk, separator);
            const actual = sink.take().toString('utf8');
            if (actual !== expected) assert.equal(firstDifference(actual, expected), undefined, `${mode} ${label}`);
          }
        }
      }
    });

    it(`CSV bytes equal the CSV text, ${label}`, async () => {
      const { columns, chunks } = await chunksOf(sql);
      const writer = createCsvTextWriter(columns);
      const sink = new ByteSink(4096);
      for (const chunk of chunks) {
        writer.writeRows(chunk, sink);
        const expected = writer.rowsText(chunk);
        const actual = sink.take().toString('utf8');
        if (actual !== expected) assert.equal(firstDifference(actual, expected), undefined, label);
      }
    });
  }

  it('writes what JSON.parse reads back, as the rows DuckDB holds', async () => {
    const { columns, chunks } = await chunksOf(`SELECT s, i64, ts, d FROM specials`);
    const sink = new ByteSink();
    createJsonTextWriter(columns).writeRows(chunks[0]!, ',', sink);
    const rows = JSON.parse(`[${sink.take().toString('utf8')}]`) as Record<string, unknown>[];
    assert.equal(rows[0]!['s'], '');
    // @duckdb/node-api's decoder drops a leading byte order mark; the bytes keep to what it reads.
    assert.equal(rows[13]!['s'], 'after a BOM');
    assert.equal(rows[15]!['s'], 'x\uFEFF');
    assert.equal(rows[3]!['i64'], '9007199254740992');
    assert.equal(rows[2]!['i64'], 9007199254740991);
    assert.equal(rows[1]!['ts'], '2001-01-01T00:00:00.123456');
    assert.equal(rows[5]!['d'], '-0043-03-15');
  });
});

/** Where two texts part, with some context: a readable failure for a 100 kB mismatch. */
function firstDifference(actual: string, expected: string): string | undefined {
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  if (i === actual.length && i === expected.length) return undefined;
  return `at ${i}: got ${JSON.stringify(actual.slice(Math.max(0, i - 40), i + 40))}, want ${JSON.stringify(expected.slice(Math.max(0, i - 40), i + 40))}`;
}

describe('byte sink and digits', () => {
  it('writes integers as String does', () => {
    const buf = Buffer.alloc(32);
    const numbers = [0, -0, 7, -7, 10, 99, 100, 2_147_483_647, 2_147_483_648, -2_147_483_649, 999_999_999_999_999, 1_000_000_000_000_000, 9_007_199_254_740_991, -9_007_199_254_740_991];
    for (const n of numbers) assert.equal(buf.toString('latin1', 0, putInt(buf, 0, n)), String(n));
  });

  it('keeps pieces it handed out while it grows into new slabs', () => {
    const sink = new ByteSink(16);
    const pieces: Buffer[] = [];
    const texts: string[] = [];
    for (let i = 0; i < 200; i++) {
      const text = `piece ${i} ${'é'.repeat(i % 13)}`;
      sink.text(text);
      sink.byte(48 + (i % 10));
      texts.push(text + String(i % 10));
      pieces.push(sink.take());
    }
    assert.deepEqual(pieces.map((p) => p.toString('utf8')), texts);
  });
});
