import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger, startServer } from '../runtime/index.js';
import type { CacheReport } from '../runtime/cache/index.js';
import { tempProject } from './support/cache-project.js';
import { PG_URL, pgFlapiYaml, postgresUnavailable, testSchema } from './support/postgres.js';

// Full refreshes swap a new table in while requests keep coming: every response must see
// one whole snapshot (never a half-written table, never a mix) and none may fail.

const unavailable = await postgresUnavailable();
const REFRESHES = 20;
const BASE_ROWS = 20_000;
const STEP = 1000;
const WORKERS = 6;

test('20 full refreshes under continuous load: every response is one complete snapshot, no request fails', { skip: unavailable ?? false, timeout: 120_000 }, async () => {
  const pg = await testSchema('flapi_cache_load');
  const project = tempProject({
    'flapi.yaml': pgFlapiYaml('load'),
    'sqls/stats.yaml': 'url-path: /dim/stats\ntemplate-source: stats.sql\nconnection: [pg]\nwith-pagination: false\ncache:\n  table: dim\n  schema: pgcache\n  template-file: dim-cache.sql\n  retention:\n    keep-last-snapshots: 1\n',
    'sqls/stats.sql': 'SELECT count(*) AS n, sum(id) AS s, max(id) AS hi FROM pgcache.dim',
    'sqls/dim-cache.sql': 'SELECT id, label, weight FROM {{conn.schema}}.dim',
    'sqls/rows.yaml': 'url-path: /dim\ntemplate-source: rows.sql\n',
    'sqls/rows.sql': 'SELECT id, label FROM pgcache.dim ORDER BY id DESC',
  }, 'flapi-load-');
  try {
    await pg.query('CREATE TABLE dim (id int PRIMARY KEY, label text, weight double precision)');
    await pg.query(`INSERT INTO dim SELECT g, 'label ' || g, g / 7.0 FROM generate_series(1, ${BASE_ROWS}) g`);
    const env = { TEST_PG_URL: PG_URL, TEST_PG_SCHEMA: pg.name };
    const server = await startServer(await project.compile(env), { port: 0, logger: silentLogger, cacheRefresh: 'manual', env });
    try {
      const refresh = async () => {
        const response = await fetch(`${server.url}/_flapi/cache/get_dim_stats/refresh`, { method: 'POST' });
        const body = (await response.json()) as { snapshot?: { row_count: number }; error?: string };
        assert.equal(response.status, 200, body.error);
        return body.snapshot!.row_count;
      };
      const counts = new Set<number>([await refresh()]);

      let stop = false;
      let requests = 0;
      const failures: string[] = [];
      const seen = new Set<number>();
      const worker = async (w: number) => {
        for (let i = 0; !stop; i++) {
          // A distinct query string each time: answered by the database, not the response cache.
          const paged = (i + w) % 3 === 0;
          const response = await fetch(`${server.url}${paged ? `/dim?limit=3&offset=0&n=${w}-${i}` : `/dim/stats?n=${w}-${i}`}`).catch((e: Error) => e);
          requests++;
          if (response instanceof Error) {
            failures.push(response.message);
            continue;
          }
          if (response.status !== 200) {
            failures.push(`${response.status} ${await response.text()}`);
            continue;
          }
          if (paged) {
            const body = (await response.json()) as { data: { id: number }[]; total_count: number };
            const n = body.total_count;
            seen.add(n);
            if (body.data[0]?.id !== n) failures.push(`page of a snapshot of ${n} rows starts at ${body.data[0]?.id}`);
          } else {
            const [row] = (await response.json()) as { n: number; s: number; hi: number }[];
            seen.add(row!.n);
            if (row!.s !== (row!.n * (row!.n + 1)) / 2 || row!.hi !== row!.n) failures.push(`incomplete snapshot: ${JSON.stringify(row)}`);
          }
        }
      };
      const load = Array.from({ length: WORKERS }, (_, w) => worker(w));
      for (let k = 1; k <= REFRESHES; k++) {
        await pg.query(`INSERT INTO dim SELECT g, 'label ' || g, g / 7.0 FROM generate_series(${BASE_ROWS + (k - 1) * STEP + 1}, ${BASE_ROWS + k * STEP}) g`);
        counts.add(await refresh());
      }
      await new Promise((r) => setTimeout(r, 100));
      stop = true;
      await Promise.all(load);

      assert.deepEqual(failures.slice(0, 5), [], `${failures.length} of ${requests} requests failed`);
      assert.equal(counts.size, REFRESHES + 1, 'every snapshot has its own row count');
      const foreign = [...seen].filter((n) => !counts.has(n));
      assert.deepEqual(foreign, [], `row counts that are no snapshot's: ${foreign.join(', ')}`);
      assert.ok(seen.size >= 5, `responses saw ${seen.size} snapshots over ${requests} requests; the load should span many refreshes`);
      const report = (await (await fetch(`${server.url}/_flapi/cache`)).json()) as CacheReport;
      assert.equal(report.caches[0]!.snapshots.filter((s) => s.status === 'succeeded').length, Math.min(10, REFRESHES + 1));
      console.log(`# ${requests} requests during ${REFRESHES} refreshes, ${seen.size} snapshots seen, 0 failures`);
    } finally {
      await server.close();
    }
  } finally {
    await pg.drop();
    project.remove();
  }
});
