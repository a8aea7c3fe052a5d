import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';
import { silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import type { CacheReport, CacheStatusJson } from '../runtime/cache/index.js';
import { tempProject, waitFor, type TempProject } from './support/cache-project.js';
import { PG_URL, pgFlapiYaml, postgresUnavailable, tcpRelay, testSchema, type TcpRelay, type TestSchema } from './support/postgres.js';

// Caches fed from the real PostgreSQL: merge and append, type fidelity, the database
// going down and coming back, restarts and a process killed mid-refresh.

const unavailable = await postgresUnavailable();

function flapiYaml(): string {
  return pgFlapiYaml('pgcache', 'duckdb:\n  db_path: ./cache.duckdb\n');
}

function endpointYaml(name: string, cache: string): string {
  return `url-path: /${name}\ntemplate-source: ${name}.sql\nconnection: [pg]\nwith-pagination: false\ncache:\n  table: ${name}\n  schema: pgcache\n  template-file: ${name}-cache.sql\n${cache}`;
}

function pgProject(schedule = ''): TempProject {
  return tempProject({
    'flapi.yaml': flapiYaml(),
    'sqls/orders.yaml': endpointYaml('orders', `  primary-key: [id]\n  cursor:\n    column: updated_at\n    type: timestamptz\n${schedule}`),
    'sqls/orders.sql': 'SELECT id, customer, amount FROM pgcache.orders ORDER BY id',
    'sqls/orders-cache.sql': `SELECT id, customer, amount, updated_at FROM {{conn.schema}}.orders
{{#env.TEST_PG_SLOW}} CROSS JOIN LATERAL (SELECT pg_sleep(0.002) WHERE id > 0) AS slow {{/env.TEST_PG_SLOW}}
{{#cache.previousSnapshotTimestamp}} WHERE updated_at > '{{cache.previousSnapshotTimestamp}}' {{/cache.previousSnapshotTimestamp}}`,
    'sqls/events.yaml': endpointYaml('events', '  cursor:\n    column: id\n    type: bigint\n'),
    'sqls/events.sql': 'SELECT id, kind FROM pgcache.events ORDER BY id, kind',
    'sqls/events-cache.sql': 'SELECT id, kind FROM {{conn.schema}}.events {{#cache.highWaterMark}} WHERE id > {{cache.highWaterMark}} {{/cache.highWaterMark}}',
    'sqls/kinds.yaml': endpointYaml('kinds', ''),
    'sqls/kinds.sql': 'SELECT * FROM pgcache.kinds ORDER BY id',
    'sqls/kinds-cache.sql': 'SELECT * FROM {{conn.schema}}.kinds',
    'sqls/numbers.yaml': endpointYaml('numbers', ''),
    'sqls/numbers.sql': 'SELECT count(*) AS n, sum(v) AS total FROM pgcache.numbers',
    'sqls/numbers-cache.sql': `SELECT g AS id,
  {{#env.TEST_PG_BREAK_PG}} 1 / (g - 30000) {{/env.TEST_PG_BREAK_PG}}{{^env.TEST_PG_BREAK_PG}} g {{/env.TEST_PG_BREAK_PG}} AS v
  {{#env.TEST_PG_BREAK_DUCK}}, CASE WHEN g = 30000 THEN ARRAY[ARRAY[1, 2]] ELSE ARRAY[ARRAY[g]] END AS nested{{/env.TEST_PG_BREAK_DUCK}}
FROM generate_series(1, 50000) g`,
  }, 'flapi-pg-');
}

async function seed(pg: TestSchema): Promise<void> {
  await pg.query(`CREATE TABLE orders (id int PRIMARY KEY, customer text, amount numeric(12,2), updated_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  await pg.query(`INSERT INTO orders (id, customer, amount, updated_at) SELECT g, 'c' || g, g * 1.5, timestamptz '2024-01-01' + g * interval '1 minute' FROM generate_series(1, 3) g`);
  await pg.query('CREATE TABLE events (id bigint, kind text)');
  await pg.query("INSERT INTO events VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  await pg.query(`CREATE TABLE kinds (id int, b boolean, i2 smallint, i8 bigint, f4 real, f8 double precision, n numeric(20,6), nu numeric,
    t text, vc varchar(5), ch char(3), d date, ts timestamp, tstz timestamptz, tm time, iv interval, u uuid, j jsonb, raw bytea, arr int[], tarr text[])`);
  await pg.query(`INSERT INTO kinds VALUES
    (1, true, -2, 9007199254740993, 1.5, 'NaN', 12345678901234.123456, 1.25, 'multi
line, "quoted", comma', 'abc', 'x', '2024-02-29', '2024-01-01 10:00:00.123456', '2024-01-01 10:00:00.5+02', '23:59:59.999999', '1 year 2 mons 3 days 04:05:06',
     '9b2f1c3e-8f6a-4a8e-9a55-0c9b6a0d7e11', '{"k": [1, "two", null]}', '\\x00ff10', '{1,2,3}', '{"a b",NULL,""}'),
    (2, NULL, NULL, NULL, NULL, 'Infinity', NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
}

type Row = Record<string, unknown>;
const get = async (server: HttpServerHandle, path: string): Promise<Row[]> => {
  const response = await fetch(server.url + path);
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  return (await response.json()) as Row[];
};
const refresh = async (server: HttpServerHandle, endpoint: string, query = '') => {
  const response = await fetch(`${server.url}/_flapi/cache/${endpoint}/refresh${query}`, { method: 'POST' });
  return { status: response.status, body: (await response.json()) as { snapshot?: { mode: string; rows_written: number; row_count: number; id: number }; error?: string } };
};
const cacheOf = async (server: HttpServerHandle, endpoint: string): Promise<CacheStatusJson> => {
  const report = (await (await fetch(`${server.url}/_flapi/cache`)).json()) as CacheReport;
  return report.caches.find((c) => c.endpoint === endpoint)!;
};

describe('caches from PostgreSQL', { skip: unavailable ?? false }, () => {
  let pg: TestSchema;
  let project: TempProject;
  let env: Record<string, string>;

  before(async () => {
    pg = await testSchema();
    await seed(pg);
    project = pgProject();
    env = { TEST_PG_URL: PG_URL, TEST_PG_SCHEMA: pg.name };
  });
  after(async () => {
    await pg?.drop();
    project?.remove();
  });

  it('merge on updated_at + id: inserts, updates and re-inserted keys arrive; hard deletes need a full rebuild', async () => {
    const server = await startServer(await project.compile(env), { port: 0, logger: silentLogger, cacheRefresh: 'manual', env });
    try {
      const first = await refresh(server, 'get_orders');
      assert.equal(first.status, 200, first.body.error);
      assert.equal(first.body.snapshot?.mode, 'full');
      assert.deepEqual(await get(server, '/orders'), [
        { id: 1, customer: 'c1', amount: '1.50' }, { id: 2, customer: 'c2', amount: '3.00' }, { id: 3, customer: 'c3', amount: '4.50' }]);
      await pg.query("INSERT INTO orders (id, customer, amount) VALUES (4, 'c4', 6)");
      await pg.query("UPDATE orders SET amount = 30, updated_at = clock_timestamp() WHERE id = 2");
      await pg.query('DELETE FROM orders WHERE id = 3');
      await pg.query("INSERT INTO orders (id, customer, amount) VALUES (3, 'c3-again', 45)");
      await pg.query('DELETE FROM orders WHERE id = 1');
      const merged = await refresh(server, 'get_orders');
      assert.equal(merged.body.snapshot?.mode, 'merge');
      assert.equal(merged.body.snapshot?.rows_written, 3);
      assert.deepEqual(await get(server, '/orders'), [
        { id: 1, customer: 'c1', amount: '1.50' },
        { id: 2, customer: 'c2', amount: '30.00' },
        { id: 3, customer: 'c3-again', amount: '45.00' },
        { id: 4, customer: 'c4', amount: '6.00' },
      ], 'one row per key; the hard-deleted row 1 is not seen by an incremental refresh');
      assert.equal((await refresh(server, 'get_orders')).body.snapshot?.rows_written, 0, 'nothing changed');
      const rebuilt = await refresh(server, 'get_orders', '?full=true');
      assert.equal(rebuilt.body.snapshot?.mode, 'full');
      assert.deepEqual((await get(server, '/orders')).map((r) => r['id']), [2, 3, 4], 'a full rebuild drops deleted rows');
    } finally {
      await server.close();
    }
  });

  it('append on an integer cursor adds new rows; re-inserted rows appear again', async () => {
    const server = await startServer(await project.compile(env), { port: 0, logger: silentLogger, cacheRefresh: 'manual', env });
    try {
      assert.equal((await refresh(server, 'get_events')).status, 200);
      await pg.query("INSERT INTO events VALUES (4, 'd'), (5, 'e')");
      await pg.query("DELETE FROM events WHERE id = 2");
      await pg.query("INSERT INTO events VALUES (6, 'b')");
      const appended = await refresh(server, 'get_events');
      assert.equal(appended.body.snapshot?.mode, 'append');
      assert.equal(appended.body.snapshot?.rows_written, 3);
      assert.deepEqual((await get(server, '/events')).map((r) => `${r['id']}${r['kind']}`), ['1a', '2b', '3c', '4d', '5e', '6b']);
      const status = await cacheOf(server, 'get_events');
      assert.equal(status.last_refresh?.high_water_mark, '6');
      assert.equal(status.source, 'postgres');
    } finally {
      await server.close();
    }
  });

  it('every PostgreSQL type arrives with its value: NULL vs empty text, multi-line quoted text, bytea, arrays, json, numerics beyond 2^53', async () => {
    const server = await startServer(await project.compile(env), { port: 0, logger: silentLogger, cacheRefresh: 'manual', env });
    try {
      assert.equal((await refresh(server, 'get_kinds')).status, 200);
      const [one, two] = await get(server, '/kinds');
      assert.deepEqual(one, {
        id: 1, b: true, i2: -2, i8: '9007199254740993', f4: 1.5, f8: null, n: '12345678901234.123456', nu: 1.25,
        t: 'multi\nline, "quoted", comma', vc: 'abc', ch: 'x  ', d: '2024-02-29', ts: '2024-01-01T10:00:00.123456',
        tstz: '2024-01-01T08:00:00.5Z', tm: '23:59:59.999999', iv: one!['iv'], u: '9b2f1c3e-8f6a-4a8e-9a55-0c9b6a0d7e11',
        j: { k: [1, 'two', null] }, raw: one!['raw'], arr: [1, 2, 3], tarr: ['a b', null, ''],
      });
      assert.ok(one!['raw'] !== null && one!['iv'] !== null);
      assert.equal(two!['t'], '', 'an empty string stays empty');
      assert.equal(two!['b'], null, 'NULL stays NULL');
      // JSON has no NaN or Infinity: the response shows null, the cache holds the value.
      assert.equal(two!['f8'], null);
    } finally {
      await server.close();
    }
  });

  it('a query failing mid-transfer, or rows DuckDB cannot read, publish nothing and never hang', async () => {
    const server = await startServer(await project.compile(env), { port: 0, logger: silentLogger, cacheRefresh: 'manual', env });
    try {
      assert.equal((await refresh(server, 'get_numbers')).status, 200);
      assert.deepEqual(await get(server, '/numbers'), [{ n: 50000, total: 1250025000 }]);
    } finally {
      await server.close();
    }
    for (const [flag, message] of [['TEST_PG_BREAK_PG', /division by zero/], ['TEST_PG_BREAK_DUCK', /convert|cast|conversion/i]] as const) {
      const broken = { ...env, [flag]: '1' };
      const failing = await startServer(await project.compile(broken), { port: 0, logger: silentLogger, cacheRefresh: 'manual', env: broken });
      try {
        const started = Date.now();
        const failed = await refresh(failing, 'get_numbers');
        assert.equal(failed.status, 502, flag);
        assert.match(failed.body.error ?? '', message);
        assert.ok(Date.now() - started < 15_000, 'fails promptly');
        assert.deepEqual(await get(failing, '/numbers'), [{ n: 50000, total: 1250025000 }], 'the last good data, whole');
      } finally {
        await failing.close();
      }
    }
  });

  it('with PostgreSQL unreachable the last data keeps serving, /_flapi/cache shows the error, and a retry recovers', async () => {
    const relay: TcpRelay = await tcpRelay();
    const relayed = { ...env, TEST_PG_URL: relay.url };
    const p = pgProject('  schedule: 1h\n');
    const server = await startServer(await p.compile(relayed), { port: 0, logger: silentLogger, env: relayed, cacheRetry: { baseMs: 200, maxMs: 400 } });
    try {
      await waitFor(async () => (await fetch(`${server.url}/_flapi/ready`)).status === 200, 20_000, 'warm-up');
      const before = await get(server, '/orders');
      await relay.stop();
      const down = await refresh(server, 'get_orders');
      assert.equal(down.status, 502);
      assert.match(down.body.error ?? '', /ECONNREFUSED|connect/);
      assert.deepEqual(await get(server, '/orders'), before, 'the last good data serves');
      const stale = await cacheOf(server, 'get_orders');
      assert.equal(stale.state, 'stale');
      assert.match(stale.error ?? '', /ECONNREFUSED/);
      assert.ok(stale.consecutive_failures >= 1);
      assert.equal((await fetch(`${server.url}/_flapi/ready`)).status, 200, 'stale data is still data');
      await pg.query("INSERT INTO orders (id, customer, amount) VALUES (50, 'while-down', 1)");
      await relay.start();
      await waitFor(async () => (await cacheOf(server, 'get_orders')).state === 'fresh', 20_000, 'retry after PostgreSQL is back');
      const fresh = await cacheOf(server, 'get_orders');
      assert.equal(fresh.last_refresh?.trigger, 'retry');
      assert.ok((await get(server, '/orders')).some((r) => r['id'] === 50));

      // A query that fails (the table is gone) behaves the same way.
      await pg.query('ALTER TABLE orders RENAME TO orders_away');
      const broken = await refresh(server, 'get_orders');
      assert.equal(broken.status, 502);
      assert.match(broken.body.error ?? '', /does not exist/);
      await pg.query('ALTER TABLE orders_away RENAME TO orders');
      await waitFor(async () => (await cacheOf(server, 'get_orders')).state === 'fresh', 20_000, 'retry after the table is back');
    } finally {
      await server.close();
      await relay.stop();
      p.remove();
    }
  });

  it('a restart serves the persisted cache while the first refresh is still running', async () => {
    const p = pgProject('  schedule: 1s\n');
    try {
      const manifest = await p.compile(env);
      let server = await startServer(manifest, { port: 0, logger: silentLogger, cacheRefresh: 'manual', env });
      let persisted: Row[];
      try {
        for (const e of ['get_orders', 'get_events', 'get_kinds', 'get_numbers']) assert.equal((await refresh(server, e)).status, 200);
        persisted = await get(server, '/orders');
      } finally {
        await server.close();
      }
      await pg.query("INSERT INTO orders (id, customer, amount) VALUES (60, 'after-restart', 1)");
      const slow = { ...env, TEST_PG_SLOW: '1' };
      const started = Date.now();
      server = await startServer(manifest, { port: 0, logger: silentLogger, env: slow });
      try {
        assert.equal((await fetch(`${server.url}/_flapi/ready`)).status, 200, 'ready at once on persisted data');
        assert.deepEqual(await get(server, '/orders'), persisted);
        await waitFor(async () => (await cacheOf(server, 'get_orders')).refreshing, 5000, 'the start-up refresh');
        assert.deepEqual(await get(server, '/orders'), persisted, 'still the persisted data while refreshing');
        await waitFor(async () => (await get(server, '/orders')).some((r) => r['id'] === 60), 20_000, 'the refresh to land');
        assert.ok(Date.now() - started < 20_000);
      } finally {
        await server.close();
      }
    } finally {
      p.remove();
    }
  });

  it('a process killed mid-refresh leaves no partial table and no lost snapshot record', async () => {
    const p = pgProject('  schedule: 1h\n');
    try {
      await pg.query('INSERT INTO orders (id, customer, amount) SELECT g, $1, 1 FROM generate_series(1000, 20000) g', ['bulk']);
      const manifest = await p.compile(env);
      let server = await startServer(manifest, { port: 0, logger: silentLogger, cacheRefresh: 'manual', env });
      let rows: number;
      try {
        for (const e of ['get_orders', 'get_events', 'get_kinds', 'get_numbers']) assert.equal((await refresh(server, e)).status, 200);
        rows = (await get(server, '/orders')).length;
      } finally {
        await server.close();
      }
      // The child rebuilds everything slowly (2 ms a row); it is killed while rows stream in.
      const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'support', 'cache-server-child.ts'), p.dir], {
        env: { ...process.env, ...env, TEST_PG_SLOW: '1' }, stdio: ['ignore', 'pipe', 'inherit'],
      });
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
        child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
      });
      await fetch(`${url}/_flapi/cache/get_orders/refresh?full=true&wait=false`, { method: 'POST' });
      await new Promise((r) => setTimeout(r, 1500));
      const killed = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await killed;

      server = await startServer(manifest, { port: 0, logger: silentLogger, cacheRefresh: 'manual', env });
      try {
        const status = await cacheOf(server, 'get_orders');
        const aborted = status.snapshots.filter((s) => s.status === 'aborted');
        assert.equal(aborted.length, 1, JSON.stringify(status.snapshots));
        assert.match(aborted[0]!.error ?? '', /process stopped/);
        assert.equal(status.last_refresh?.status, 'succeeded');
        assert.equal((await get(server, '/orders')).length, rows, 'the previous data, whole');
      } finally {
        await server.close();
      }
      const db = await DuckDBInstance.create(join(p.dir, 'cache.duckdb'));
      const conn = await db.connect();
      const tables = (await conn.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'pgcache' AND table_name LIKE 'orders__v%'")).getRows().map((r) => String(r[0]));
      conn.closeSync();
      db.closeSync();
      assert.equal(tables.length, 1, `only the served version remains: ${tables.join(', ')}`);
    } finally {
      p.remove();
    }
  });
});
