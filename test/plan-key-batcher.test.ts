/**
 * Concurrent key lookups answered by one query (runtime/plan/key-batcher.ts) give every
 * request exactly what its own query gives: rows, order, caps, empty results and errors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { openDatabase, type Database, type PooledConnection } from '../runtime/db/index.js';
import { analyseLookup, createKeyBatcher, rowsJson, type BatchedRows, type KeyBatcher, type LookupOutcome, type RowsJson } from '../runtime/plan/index.js';
import { bindValues } from '../runtime/db/index.js';
import type { BoundValue } from '../runtime/template/index.js';
import { manifest } from './serve-fixture.js';

const INIT = `
CREATE TABLE items AS
  SELECT i AS id, 'k' || (i % 4000) AS grp, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1.5 END AS price,
         DATE '2024-01-01' + (i % 1000)::INTEGER AS day
  FROM range(1, 200001) t(i);
CREATE UNIQUE INDEX items_id ON items(id);
CREATE INDEX items_grp ON items(grp);
CREATE TABLE tags (id INTEGER, tag VARCHAR COLLATE NOCASE);
INSERT INTO tags SELECT i, CASE i % 3 WHEN 0 THEN 'Alpha' WHEN 1 THEN 'beta' ELSE 'GAMMA' END FROM range(1, 31) t(i);
CREATE INDEX tags_tag ON tags(tag);
CREATE TABLE plain AS SELECT i AS id, i * 2 AS twice FROM range(1, 2001) t(i);
`;

const BY_ID = 'SELECT id, grp, price, day FROM items WHERE id = $1';
const BY_GROUP = 'SELECT id, price, day FROM items WHERE grp = $1 ORDER BY price DESC NULLS LAST, id';
const BY_TAG = 'SELECT id, tag FROM tags WHERE tag = $1 ORDER BY id';

let db: Database;
/** The one folder the locked-down database may read files in. */
const FILES = mkdtempSync(join(tmpdir(), 'flapi-lookup-'));
process.on('exit', () => rmSync(FILES, { recursive: true, force: true }));

function open(): Promise<Database> {
  const m = manifest([], INIT);
  m.duckdb.allowedDirectories = [FILES];
  return openDatabase(m, { poolSize: 2 });
}

/** What the query gives alone, cut to the window a request asks for. */
async function single(sql: string, value: BoundValue, cap?: number, offset = 0): Promise<RowsJson> {
  const lease = await db.pool.acquire();
  try {
    const statement = await lease.prepare(sql, { readOnly: true });
    bindValues(statement, [value]);
    const all = rowsJson(statement, await statement.run());
    if (offset === 0 && (cap === undefined || all.rowCount <= cap)) return all;
    const rows = (JSON.parse(all.text) as unknown[]).slice(offset, cap === undefined ? undefined : offset + cap);
    return { text: JSON.stringify(rows), rowCount: rows.length };
  } finally {
    db.pool.release(lease);
  }
}

async function ready(batcher: KeyBatcher, sql: string, sample: BoundValue): Promise<void> {
  assert.equal(batcher.lookup({ sql, values: [sample] }, { offset: 0, limit: undefined }), undefined, 'the first sight of a SQL text runs alone');
  for (let i = 0; i < 200 && batcher.verdict(sql) === undefined; i++) await new Promise((r) => setTimeout(r, 5));
}

/** The rows part of a batched answer, to compare with a single query's. */
function rowsOf(answer: BatchedRows | undefined): RowsJson | undefined {
  return answer === undefined ? undefined : { text: answer.text, rowCount: answer.rowCount };
}

/** A lookup's answer; one to run alone gives back the connection it was lent. */
async function settled(outcome: Promise<LookupOutcome> | undefined): Promise<BatchedRows | undefined> {
  const got = await outcome;
  if (got === undefined || !('lease' in got)) return got;
  db.pool.release(got.lease);
  return undefined;
}

/** Every connection held while the lookups queue, so they go as batches once let go. */
async function together(batcher: KeyBatcher, sql: string, values: BoundValue[], cap?: number, offset = 0): Promise<Array<BatchedRows | undefined>> {
  const held: PooledConnection[] = [];
  for (let i = 0; i < db.pool.size; i++) held.push(await db.pool.acquire());
  const answers = values.map((value) => settled(batcher.lookup({ sql, values: [value] }, { offset, limit: cap })));
  for (const lease of held) db.pool.release(lease);
  return Promise.all(answers);
}

describe('key lookup shape', () => {
  before(async () => {
    db = await open();
  });
  after(async () => {
    await db.close();
  });

  const verdict = (sql: string, sample: BoundValue = 5) => db.withConnection((conn) => analyseLookup(conn, sql, sample));

  it('batches an indexed equality lookup, with its ORDER BY, from the parse tree', async () => {
    const byId = await verdict(BY_ID);
    assert.equal(byId.kind, 'batch');
    assert.equal(byId.kind === 'batch' && byId.column, 'id');
    assert.match(byId.kind === 'batch' ? byId.sql.get(4)! : '', /IN \(\$1, \$2, \$3, \$4\)/);
    assert.equal((await verdict(BY_GROUP, 'k3')).kind, 'batch');
    assert.equal(byId.kind === 'batch' && byId.indexed, true, 'DuckDB answers it from the index');
  });

  it('tells a lookup DuckDB scans for: no index, or a condition beside the key', async () => {
    const indexed = async (sql: string) => {
      const got = await verdict(sql);
      assert.equal(got.kind, 'batch', sql);
      return got.kind === 'batch' && got.indexed;
    };
    assert.equal(await indexed('SELECT * FROM plain WHERE id = $1'), false);
    assert.equal(await indexed('SELECT * FROM items WHERE id = $1 AND price > 0'), false);
    assert.equal(await indexed('SELECT * FROM items AS i WHERE $1 = i.id'), true);
  });

  it('batches a lookup straight in a Parquet file, one read per batch', async () => {
    const file = join(FILES, 'items.parquet');
    await db.withConnection((conn) => conn.run(`COPY (SELECT id, grp FROM items WHERE id <= 500) TO '${file}' (FORMAT parquet)`));
    try {
      const got = await verdict(`SELECT id, grp FROM read_parquet('${file}') WHERE id = $1 ORDER BY grp`);
      assert.equal(got.kind, 'batch');
      const batcher = createKeyBatcher({ pool: db.pool, bigint: 'auto', timeoutMs: 0 });
      const sql = `SELECT id, grp FROM read_parquet('${file}') WHERE id = $1`;
      await ready(batcher, sql, 1);
      const ids = [1, 250, 499, 501, 250];
      const answers = await together(batcher, sql, ids);
      for (const [i, id] of ids.entries()) assert.deepEqual(rowsOf(answers[i]), await single(sql, id), `id ${id}`);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('refuses what makes one key\'s rows depend on another\'s', async () => {
    for (const sql of [
      'SELECT count(*) FROM items WHERE id = $1',
      'SELECT DISTINCT grp FROM items WHERE id = $1',
      'SELECT id, row_number() OVER () FROM items WHERE id = $1',
      'SELECT * FROM items WHERE id = $1 LIMIT 1',
      'SELECT * FROM items a JOIN plain b USING (id) WHERE a.id = $1',
      'SELECT * FROM items WHERE id = $1 UNION ALL SELECT * FROM items WHERE id = 1',
      'SELECT * FROM items WHERE id > $1',
      'SELECT * FROM items WHERE id = $1 OR id = 3',
      'WITH x AS (SELECT * FROM items) SELECT * FROM x WHERE id = $1 + 0',
    ]) {
      assert.equal((await verdict(sql)).kind, 'other', sql);
    }
  });
});

describe('key batcher', () => {
  before(async () => {
    db = await open();
  });
  after(async () => {
    await db.close();
  });

  it('answers concurrent lookups in batches, each exactly as its own query would', async () => {
    const batcher = createKeyBatcher({ pool: db.pool, bigint: 'auto', timeoutMs: 0 });
    await ready(batcher, BY_ID, 1);
    const shape = batcher.verdict(BY_ID);
    assert.equal(shape?.kind === 'batch' && shape.keyed !== undefined, true, 'an integer key is matched by its value, without the mask');
    await ready(batcher, BY_GROUP, 'k1');
    const text = batcher.verdict(BY_GROUP);
    assert.equal(text?.kind === 'batch' && text.keyed, undefined, 'a text key keeps DuckDB\'s own comparison');
    const ids: BoundValue[] = [5, 17, 5, 99999, 1999, 3, 2000, 0, 42, 42, 7, 700, 8n, 17n];
    const answers = await together(batcher, BY_ID, ids);
    for (const [i, id] of ids.entries()) assert.deepEqual(rowsOf(answers[i]), await single(BY_ID, id), `id ${id}`);
    const { batches, requests } = batcher.stats();
    assert.equal(requests, ids.length);
    assert.ok(batches <= 2, `${ids.length} lookups ran as ${batches} queries`);
  });

  it('caps each request on its own and keeps the query\'s order for keys with many rows', async () => {
    const batcher = createKeyBatcher({ pool: db.pool, bigint: 'auto', timeoutMs: 0 });
    await ready(batcher, BY_GROUP, 'k1');
    const groups = ['k1', 'k2', 'k3999', 'none', 'k2'];
    const answers = await together(batcher, BY_GROUP, groups, 7);
    for (const [i, grp] of groups.entries()) {
      assert.deepEqual(rowsOf(answers[i]), await single(BY_GROUP, grp, 7), grp);
      assert.equal(answers[i]?.total, (await single(BY_GROUP, grp)).rowCount, `the total of ${grp} counts every row of its key`);
    }
    assert.equal(answers[0]?.rowCount, 7);
    const page = await together(batcher, BY_GROUP, groups, 20, 30);
    for (const [i, grp] of groups.entries()) assert.deepEqual(rowsOf(page[i]), await single(BY_GROUP, grp, 20, 30), `page of ${grp}`);
  });

  it('gives a row to every key that DuckDB\'s comparison matches (case-insensitive collation)', async () => {
    const batcher = createKeyBatcher({ pool: db.pool, bigint: 'auto', timeoutMs: 0 });
    await ready(batcher, BY_TAG, 'alpha');
    const tags = ['alpha', 'ALPHA', 'Beta', 'delta', 'gamma'];
    const answers = await together(batcher, BY_TAG, tags, 5);
    for (const [i, tag] of tags.entries()) assert.deepEqual(rowsOf(answers[i]), await single(BY_TAG, tag, 5), tag);
    assert.equal(answers[1]?.rowCount, 5);
  });

  it('lets a failed batch fall back so each request gets its own answer or error', async () => {
    const batcher = createKeyBatcher({ pool: db.pool, bigint: 'auto', timeoutMs: 0 });
    await ready(batcher, BY_ID, 1);
    // 'x' cannot be cast to the key's type: the batch fails, and every request runs alone.
    const answers = await together(batcher, BY_ID, [3, 'x', 4]);
    assert.deepEqual(answers, [undefined, undefined, undefined]);
    await assert.rejects(single(BY_ID, 'x'), /Conversion Error|Could not convert/);
  });

  it('lets a key with several rows and no ORDER BY run alone, as its order is the scan\'s', async () => {
    const batcher = createKeyBatcher({ pool: db.pool, bigint: 'auto', timeoutMs: 0 });
    const sql = 'SELECT id, price FROM items WHERE grp = $1';
    await ready(batcher, sql, 'k1');
    const shape = batcher.verdict(sql);
    assert.equal(shape?.kind === 'batch' && shape.ordered, false);
    const answers = await together(batcher, sql, ['k1', 'none', 'k2']);
    assert.deepEqual(answers.map((a) => a?.rowCount), [undefined, 0, undefined], 'only the key without rows is answered by the batch');
    await ready(batcher, BY_ID, 1);
    assert.equal((await together(batcher, BY_ID, [1, 2]))[0]?.rowCount, 1, 'one row per key needs no order');
  });

  it('lends a lone lookup the connection it waited for, to run alone on', async () => {
    const batcher = createKeyBatcher({ pool: db.pool, bigint: 'auto', timeoutMs: 0 });
    await ready(batcher, BY_ID, 1);
    const alone = await batcher.lookup({ sql: BY_ID, values: [9] }, { offset: 0, limit: undefined });
    assert.ok(alone !== undefined && 'lease' in alone, 'a batch of one key runs as the plain query');
    assert.equal(db.pool.inUse, 1, 'the connection stays lent, not queued for again');
    db.pool.release(alone.lease);
    assert.equal(batcher.stats().batches, 0);
  });

  it('asks again about a table that was not there yet (a cache before its first refresh)', async () => {
    const batcher = createKeyBatcher({ pool: db.pool, bigint: 'auto', timeoutMs: 0 });
    const sql = 'SELECT id FROM later WHERE id = $1';
    await ready(batcher, sql, 1);
    assert.equal(batcher.verdict(sql), undefined, 'a failed look is not kept');
    await db.withConnection((conn) => conn.run('CREATE TABLE later AS SELECT range AS id FROM range(10)'));
    await ready(batcher, sql, 1);
    assert.equal(batcher.verdict(sql)?.kind, 'batch');
  });

  it('matches single queries for random keys at random concurrency (property)', async () => {
    const batcher = createKeyBatcher({ pool: db.pool, bigint: 'auto', timeoutMs: 0 });
    await ready(batcher, BY_ID, 1);
    await ready(batcher, BY_GROUP, 'k1');
    const expected = new Map<string, RowsJson>();
    const reference = async (sql: string, value: BoundValue, cap: number | undefined, offset: number) => {
      const key = `${sql}|${String(value)}|${cap}|${offset}`;
      if (!expected.has(key)) expected.set(key, await single(sql, value, cap, offset));
      return expected.get(key)!;
    };
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(fc.integer({ min: -5, max: 2100 }), { minLength: 1, maxLength: 80 }),
        fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
        fc.integer({ min: 0, max: 60 }),
        fc.boolean(),
        async (byGroup, numbers, cap, offset, hold) => {
          const sql = byGroup ? BY_GROUP : BY_ID;
          const values: BoundValue[] = numbers.map((n) => (byGroup ? `k${n % 45}` : n));
          const answers = hold
            ? await together(batcher, sql, values, cap, offset)
            : await Promise.all(values.map((value) => settled(batcher.lookup({ sql, values: [value] }, { offset, limit: cap }))));
          for (const [i, value] of values.entries()) {
            const got = rowsOf(answers[i]) ?? (await single(sql, value, cap, offset));
            assert.deepEqual(got, await reference(sql, value, cap, offset), `${sql} ${String(value)}`);
            if (answers[i] !== undefined) assert.equal(answers[i]!.total, (await reference(sql, value, undefined, 0)).rowCount);
          }
        },
      ),
      { numRuns: 40 },
    );
    assert.ok(batcher.stats().requests > 0);
  });
});
