import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { silentLogger, startServer, type HttpServerHandle } from '../runtime/index.js';
import type { CacheReport } from '../runtime/cache/index.js';
import { tempProject, waitFor } from './support/cache-project.js';

// Caches over DuckDB-native sources (CSV, Parquet): the refresh modes, snapshots,
// retention, readiness, the admin routes and persistence in a database file.

/** The incremental form flAPI documents: everything on the first load, then rows past the high-water mark. */
const INCREMENTAL = `SELECT * FROM read_csv('{{{conn.data}}}', header = true)
{{#cache.previousSnapshotTimestamp}} WHERE updated_at > TIMESTAMP '{{cache.previousSnapshotTimestamp}}' {{/cache.previousSnapshotTimestamp}}`;

const csv = (rows: [number, string, string][]) => `id,name,updated_at\n${rows.map((r) => r.join(',')).join('\n')}\n`;

function project(cache: string, extra: Record<string, string> = {}) {
  return tempProject({
    'flapi.yaml': 'project-name: files\ntemplate:\n  path: ./sqls\nconnections:\n  files:\n    properties:\n      data: ./data.csv\nduckdb:\n  db_path: ./cache.duckdb\n',
    'data.csv': csv([[1, 'a', '2024-01-01 00:00:00'], [2, 'b', '2024-01-02 00:00:00']]),
    'sqls/items.yaml': `url-path: /items\ntemplate-source: items.sql\nconnection: [files]\nwith-pagination: false\ncache:\n  table: items\n  schema: c\n  template-file: items-cache.sql\n${cache}`,
    'sqls/items.sql': 'SELECT id, name FROM {{cache.schema}}.{{cache.table}} ORDER BY id',
    'sqls/items-cache.sql': "SELECT * FROM read_csv('{{{conn.data}}}', header = true)",
    ...extra,
  });
}

async function json<T>(server: HttpServerHandle, path: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(server.url + path, init);
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

const ids = async (server: HttpServerHandle) => (await json<{ id: number; name: string }[]>(server, '/items')).body.map((r) => `${r.id}${r.name}`);
const refresh = (server: HttpServerHandle, query = '') => json<{ status: string; snapshot: { id: number; mode: string; rows_written: number; row_count: number; high_water_mark: string | null; table: string } | null; error?: string }>(server, `/_flapi/cache/get_items/refresh${query}`, { method: 'POST' });

async function versionTables(dbPath: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(dbPath);
  const conn = await instance.connect();
  try {
    const reader = await conn.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'c' AND table_type = 'BASE TABLE' ORDER BY table_name");
    return reader.getRows().map((r) => String(r[0]));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

test('full refresh from CSV: warm-up, swap on refresh, snapshots, retention, response cache invalidation, restart', async () => {
  const p = project('  retention:\n    keep-last-snapshots: 2\n');
  try {
    const manifest = await p.compile();
    let server = await startServer(manifest, { port: 0, logger: silentLogger });
    try {
      await waitFor(async () => (await fetch(`${server.url}/_flapi/ready`)).status === 200, 10_000, 'warm-up');
      assert.deepEqual(await ids(server), ['1a', '2b']);
      const first = await fetch(`${server.url}/items`);
      await first.text();
      const again = await fetch(`${server.url}/items`);
      await again.text();
      assert.equal(again.headers.get('x-cache'), 'HIT');

      p.write('data.csv', csv([[1, 'a', '2024-01-01 00:00:00'], [2, 'B', '2024-01-02 00:00:00'], [3, 'c', '2024-01-03 00:00:00']]));
      const second = await refresh(server);
      assert.equal(second.status, 200);
      assert.equal(second.body.snapshot?.mode, 'full');
      assert.equal(second.body.snapshot?.rows_written, 3);
      const after = await fetch(`${server.url}/items`);
      assert.equal(after.headers.get('x-cache'), 'MISS', 'a refresh changes the data version');
      assert.deepEqual(((await after.json()) as { id: number; name: string }[]).map((r) => `${r.id}${r.name}`), ['1a', '2B', '3c']);

      for (let i = 0; i < 2; i++) assert.equal((await refresh(server)).status, 200);
      const report = (await json<CacheReport>(server, '/_flapi/cache')).body;
      const cache = report.caches[0]!;
      assert.equal(report.ready, true);
      assert.equal(cache.state, 'fresh');
      assert.equal(cache.rows, 3);
      assert.equal(cache.mode, 'full');
      assert.deepEqual(cache.snapshots.map((s) => s.status), ['succeeded', 'succeeded', 'succeeded', 'succeeded']);
      assert.deepEqual(cache.snapshots.map((s) => s.pruned), [false, false, true, true], 'keep-last-snapshots: 2');
      assert.deepEqual(cache.snapshots.map((s) => s.trigger), ['manual', 'manual', 'manual', 'startup']);
      assert.ok(cache.snapshot_id! > cache.snapshots[1]!.id);
    } finally {
      await server.close();
    }
    const newest = (await versionTables(join(p.dir, 'cache.duckdb')));
    assert.equal(newest.length, 2, `two version tables remain: ${newest.join(', ')}`);

    // A restart serves the persisted cache at once, with no refresh at all.
    server = await startServer(manifest, { port: 0, logger: silentLogger, cacheRefresh: 'manual' });
    try {
      assert.equal((await fetch(`${server.url}/_flapi/ready`)).status, 200);
      assert.deepEqual(await ids(server), ['1a', '2B', '3c']);
    } finally {
      await server.close();
    }
  } finally {
    p.remove();
  }
});

test('readiness stays 503 until every cache holds data', async () => {
  const p = project('');
  try {
    const server = await startServer(await p.compile(), { port: 0, logger: silentLogger, cacheRefresh: 'manual' });
    try {
      const ready = await json<{ status: string; caches_pending: string[] }>(server, '/_flapi/ready');
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.body.caches_pending, ['get_items']);
      assert.equal((await json<CacheReport>(server, '/_flapi/cache')).body.caches[0]!.state, 'empty');
      assert.equal((await refresh(server)).status, 200);
      assert.equal((await fetch(`${server.url}/_flapi/ready`)).status, 200);
      assert.equal((await json(server, '/_flapi/cache/nope/refresh', { method: 'POST' })).status, 404);
    } finally {
      await server.close();
    }
  } finally {
    p.remove();
  }
});

test('append adds rows past the high-water mark; merge upserts by key; ?full=true rebuilds', async () => {
  for (const mode of ['append', 'merge'] as const) {
    const keys = mode === 'merge' ? '  primary-key: [id]\n' : '';
    const p = project(`${keys}  cursor:\n    column: updated_at\n    type: timestamp\n`, { 'sqls/items-cache.sql': INCREMENTAL });
    try {
      const server = await startServer(await p.compile(), { port: 0, logger: silentLogger, cacheRefresh: 'manual' });
      try {
        const first = await refresh(server);
        assert.equal(first.body.snapshot?.mode, 'full', 'the first load reads everything');
        assert.equal(first.body.snapshot?.high_water_mark, '2024-01-02 00:00:00');
        // Read once so the endpoint's prepared statement predates the change in place.
        assert.deepEqual(await ids(server), ['1a', '2b']);
        // Row 2 changes (newer cursor), row 3 is new, row 1 is untouched.
        p.write('data.csv', csv([[1, 'a', '2024-01-01 00:00:00'], [2, 'B', '2024-01-05 00:00:00'], [3, 'c', '2024-01-04 00:00:00']]));
        const second = await refresh(server);
        assert.equal(second.body.snapshot?.mode, mode);
        assert.equal(second.body.snapshot?.rows_written, 2);
        assert.equal(second.body.snapshot?.high_water_mark, '2024-01-05 00:00:00');
        assert.equal(second.body.snapshot?.table, first.body.snapshot?.table, 'incremental refreshes change the served table in place');
        assert.deepEqual(await ids(server), mode === 'append' ? ['1a', '2b', '2B', '3c'] : ['1a', '2B', '3c']);
        const nothing = await refresh(server);
        assert.equal(nothing.body.snapshot?.rows_written, 0, 'nothing past the high-water mark');
        const rebuilt = await refresh(server, '?full=true');
        assert.equal(rebuilt.body.snapshot?.mode, 'full');
        assert.notEqual(rebuilt.body.snapshot?.table, first.body.snapshot?.table);
        assert.deepEqual(await ids(server), ['1a', '2B', '3c']);
      } finally {
        await server.close();
      }
    } finally {
      p.remove();
    }
  }
});

test('a failing refresh keeps the last data, reports the error, and a scheduled retry recovers', async () => {
  const p = project('  schedule: 1h\n');
  try {
    const server = await startServer(await p.compile(), { port: 0, logger: silentLogger, cacheRetry: { baseMs: 100, maxMs: 200 } });
    try {
      await waitFor(async () => (await fetch(`${server.url}/_flapi/ready`)).status === 200, 10_000, 'warm-up');
      unlinkSync(join(p.dir, 'data.csv'));
      const failed = await refresh(server);
      assert.equal(failed.status, 502);
      assert.equal(failed.body.status, 'failed');
      assert.match(failed.body.error ?? '', /data\.csv/);
      assert.deepEqual(await ids(server), ['1a', '2b'], 'the last good data keeps serving');
      const stale = (await json<CacheReport>(server, '/_flapi/cache')).body.caches[0]!;
      assert.equal(stale.state, 'stale');
      assert.match(stale.error ?? '', /data\.csv/);
      assert.equal(stale.last_attempt?.status, 'failed');
      // A 100 ms retry may be running when the report is read (no next time then): read again.
      let next = stale.next_refresh_at;
      for (let i = 0; next === null && i < 50; i++) {
        await new Promise((r) => setTimeout(r, 20));
        next = (await json<CacheReport>(server, '/_flapi/cache')).body.caches[0]!.next_refresh_at;
      }
      assert.ok(next !== null && Date.parse(next) - Date.now() < 60_000, `a retry is scheduled soon, not in an hour (${next})`);
      p.write('data.csv', csv([[7, 'z', '2024-02-01 00:00:00']]));
      await waitFor(async () => (await json<CacheReport>(server, '/_flapi/cache')).body.caches[0]!.state === 'fresh', 10_000, 'retry');
      assert.deepEqual(await ids(server), ['7z']);
      const fresh = (await json<CacheReport>(server, '/_flapi/cache')).body.caches[0]!;
      assert.equal(fresh.last_refresh?.trigger, 'retry');
      assert.equal(fresh.consecutive_failures, 0);
      assert.ok(Date.parse(fresh.next_refresh_at!) - Date.now() > 50 * 60_000, 'back on the hourly schedule');
    } finally {
      await server.close();
    }
  } finally {
    p.remove();
  }
});

test('parquet source; a refresh left running by a stopped process is marked aborted and its table dropped', async () => {
  const p = project('', { 'sqls/items-cache.sql': "SELECT * FROM read_parquet('{{{conn.data}}}')" });
  try {
    const parquet = join(p.dir, 'data.parquet');
    const setup = await DuckDBInstance.create(':memory:');
    const conn = await setup.connect();
    await conn.run(`COPY (SELECT range AS id, 'n' || range AS name FROM range(5)) TO '${parquet}' (FORMAT parquet)`);
    conn.closeSync();
    setup.closeSync();
    p.write('flapi.yaml', 'project-name: files\ntemplate:\n  path: ./sqls\nconnections:\n  files:\n    properties:\n      data: ./data.parquet\nduckdb:\n  db_path: ./cache.duckdb\n');
    const manifest = await p.compile();
    let server = await startServer(manifest, { port: 0, logger: silentLogger, cacheRefresh: 'manual' });
    try {
      assert.equal((await refresh(server)).body.snapshot?.row_count, 5);
    } finally {
      await server.close();
    }
    // What a crash mid-refresh leaves: a `running` record (and, were it committed, a stray table).
    const db = await DuckDBInstance.create(join(p.dir, 'cache.duckdb'));
    const c = await db.connect();
    await c.run("INSERT INTO _flapi.cache_snapshots (id, endpoint, cache_table, mode, trigger, status, started_at) VALUES (99, 'get_items', 'c.items', 'full', 'schedule', 'running', now())");
    await c.run('CREATE TABLE c.items__v99 AS SELECT 1 AS id');
    c.closeSync();
    db.closeSync();
    server = await startServer(manifest, { port: 0, logger: silentLogger, cacheRefresh: 'manual' });
    try {
      const cache = (await json<CacheReport>(server, '/_flapi/cache')).body.caches[0]!;
      const aborted = cache.snapshots.find((s) => s.id === 99);
      assert.equal(aborted?.status, 'aborted');
      assert.match(aborted?.error ?? '', /process stopped/);
      assert.equal(cache.has_data, true);
      assert.deepEqual(await ids(server), ['0n0', '1n1', '2n2', '3n3', '4n4']);
    } finally {
      await server.close();
    }
    assert.ok(!(await versionTables(join(p.dir, 'cache.duckdb'))).includes('items__v99'));
  } finally {
    p.remove();
  }
});

test('a reload opens the same database file again: one shared instance, and the old app closing leaves the new one serving', async () => {
  const p = project('');
  try {
    const { createApp } = await import('../runtime/index.js');
    const manifest = await p.compile();
    const first = await createApp(manifest, { logger: silentLogger, cacheRefresh: 'manual' });
    await first.caches.refresh('get_items');
    const second = await createApp(manifest, { logger: silentLogger, cacheRefresh: 'manual' });
    assert.equal(second.database.instance, first.database.instance, 'one DuckDB instance per file');
    assert.equal(second.caches.ready, true, 'the new app sees the cache the old one wrote');
    await first.close();
    const rows = await second.database.query('SELECT count(*) AS n FROM c.items');
    assert.equal(Number(rows.rows[0]!['n']), 2);
    await second.caches.refresh('get_items');
    await second.close();
  } finally {
    p.remove();
  }
});
