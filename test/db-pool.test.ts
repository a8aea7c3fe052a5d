import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { bindValues, openDatabase, NotAReadError } from '../runtime/db/index.js';
import { privateTempDir } from '../runtime/db/private-temp.js';
import { manifest } from './serve-fixture.js';

const m = manifest([], `CREATE TABLE t(i INTEGER, b BIGINT, d DATE, s VARCHAR, x DOUBLE, h HUGEINT);
INSERT INTO t VALUES (1, 9007199254740993, DATE '2024-02-29', 'a', 1.5, 170141183460469231731687303715884105727);`);

describe('openDatabase', () => {
  it('runs init once and shares its tables with every connection', async () => {
    const db = await openDatabase(m, { poolSize: 3 });
    try {
      assert.equal(db.pool.size, 3);
      const counts = await Promise.all([1, 2, 3].map(() => db.query('SELECT count(*)::INT AS n FROM t')));
      for (const c of counts) assert.deepEqual(c.rows, [{ n: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('queues callers in arrival order when every connection is busy', async () => {
    const db = await openDatabase(m, { poolSize: 1 });
    try {
      const order: number[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const first = db.withConnection(async () => {
        await gate;
        order.push(0);
      });
      const rest = [1, 2, 3].map((n) => db.withConnection(async () => void order.push(n)));
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(db.pool.inUse, 1);
      assert.equal(db.pool.waiting, 3);
      release();
      await Promise.all([first, ...rest]);
      assert.deepEqual(order, [0, 1, 2, 3]);
      assert.equal(db.pool.waiting, 0);
    } finally {
      await db.close();
    }
  });

  it('reuses prepared statements per connection and refuses writes on reads', async () => {
    const db = await openDatabase(m, { poolSize: 1, statementCacheSize: 4 });
    try {
      await db.withConnection(async (_conn, prepare) => {
        const a = await prepare('SELECT i FROM t WHERE i = $1', { readOnly: true });
        const b = await prepare('SELECT i FROM t WHERE i = $1', { readOnly: true });
        assert.equal(a, b);
        await assert.rejects(prepare('DELETE FROM t', { readOnly: true }), NotAReadError);
        // A path the locked-down database may write, so the refusal is the read check's.
        await assert.rejects(prepare(`COPY t TO '${join(privateTempDir(), 'x.csv')}'`, { readOnly: true }), NotAReadError);
        await assert.rejects(prepare('CREATE TABLE u AS SELECT 1', { readOnly: true }), NotAReadError);
      });
      const lease = db.pool.members[0]!;
      const before = lease.statements.prepared;
      for (let i = 0; i < 12; i++) await db.query(`SELECT ${i % 3} AS n`);
      assert.equal(lease.statements.prepared - before, 3);
      for (let i = 0; i < 6; i++) await db.query(`SELECT ${i} + 100 AS n`);
      assert.equal(lease.statements.size, 4);
      assert.deepEqual((await db.query('SELECT count(*)::INT AS n FROM t')).rows, [{ n: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('binds values with the type each parameter expects', async () => {
    const db = await openDatabase(m, { poolSize: 1 });
    try {
      const one = async (sql: string, values: (string | number | bigint | boolean | null)[]) =>
        db.withConnection(async (_c, prepare) => {
          const st = await prepare(sql);
          bindValues(st, values);
          return (await st.runAndReadAll()).getRowObjectsJson();
        });
      assert.deepEqual(await one('SELECT i FROM t WHERE d = $1', ['2024-02-29']), [{ i: 1 }]);
      assert.deepEqual(await one('SELECT i FROM t WHERE b = $1', [9007199254740993n]), [{ i: 1 }]);
      assert.deepEqual(await one('SELECT i FROM t WHERE h = $1', [170141183460469231731687303715884105727n]), [{ i: 1 }]);
      assert.deepEqual(await one('SELECT i FROM t WHERE s = $1', [null]), []);
      assert.deepEqual(await one('SELECT i FROM t WHERE x = $1 AND i = $2', [1.5, 1]), [{ i: 1 }]);
      assert.deepEqual(await one("SELECT $1 || '' AS v", [5]), [{ v: '5' }]);
      assert.deepEqual(await one('SELECT i FROM t WHERE s = $1', [7]), []);
      assert.deepEqual(await one('SELECT $1::VARCHAR AS v', ["it's \u0000 -- x"]), [{ v: "it's \u0000 -- x" }]);
      assert.deepEqual(await one('SELECT typeof($1) AS t', [true]), [{ t: 'BOOLEAN' }]);
      await assert.rejects(one('SELECT i FROM t WHERE i = $1', []), /expects 1 parameters/);
      await assert.rejects(one('SELECT i FROM t WHERE d = $1', ['not a date']), /Conversion Error/);
    } finally {
      await db.close();
    }
  });

  it('renders conn and env into init, with only whitelisted env', async () => {
    const withEnv = manifest([], "CREATE TABLE e AS SELECT '{{conn.table}}' AS c, '{{env.FLAPI_T_OK}}' AS ok, '{{env.SECRET_T}}' AS secret;");
    withEnv.environmentWhitelist = ['FLAPI_T_.*'];
    const db = await openDatabase(withEnv, { poolSize: 1, env: { FLAPI_T_OK: 'yes', SECRET_T: 'no' } });
    try {
      assert.deepEqual((await db.query('SELECT * FROM e')).rows, [{ c: 'flights', ok: 'yes', secret: '' }]);
    } finally {
      await db.close();
    }
  });

  it('waits for borrowed connections before closing and refuses new ones after', async () => {
    const db = await openDatabase(m, { poolSize: 1 });
    let finished = false;
    const busy = db.withConnection(async () => {
      await new Promise((r) => setTimeout(r, 30));
      finished = true;
    });
    await db.close();
    assert.equal(finished, true);
    await busy;
    await assert.rejects(db.query('SELECT 1'), /closed/);
  });

  it('reports a failing init with the connection name', async () => {
    await assert.rejects(openDatabase(manifest([], 'SELECT * FROM missing_table'), { poolSize: 1 }), /init of connection "main"/);
  });
});
