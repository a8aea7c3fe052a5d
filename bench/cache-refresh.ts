/**
 * `npm run bench:cache [-- --rows=1000000 --rounds=3]`: cache refresh throughput from
 * PostgreSQL. Seeds a table of `rows` rows (own schema, dropped afterwards) and, in
 * alternating rounds on the same machine, times
 *   - a full flapi cache refresh of the table (COPY ... TO STDOUT streamed through a pipe
 *     into DuckDB, the new table published with its snapshot record), and
 *   - `psql -c "\copy (SELECT ...) to /dev/null"` of the same SELECT, in PostgreSQL's
 *     text format and in CSV (the format flapi asks for): PostgreSQL's own export speed.
 * Prints rows/s (median of the rounds) and writes bench/results/cache-refresh.md.
 * PostgreSQL: FLAPI_BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/test.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { compileProject } from '../cli/compile-project.js';
import { refreshCache } from '../runtime/cache/index.js';
import { openDatabase } from '../runtime/db/index.js';

const { values: flags } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, rounds: { type: 'string', default: '3' } } });
const rows = Number(flags.rows);
const rounds = Number(flags.rounds);
const url = process.env['FLAPI_BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `flapi_bench_${randomBytes(4).toString('hex')}`;
const select = `SELECT id, customer, amount, status, ordered_at, updated_at, flag, note FROM ${schema}.orders`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function psqlCopy(format: 'text' | 'csv'): number {
  const started = performance.now();
  const run = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy (${select}) to /dev/null${format === 'csv' ? ' with (format csv)' : ''}`], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`psql failed: ${run.stderr || run.error?.message}`);
  return performance.now() - started;
}

const admin = new pg.Client({ connectionString: url });
await admin.connect();
const dir = mkdtempSync(join(tmpdir(), 'flapi-bench-cache-'));
try {
  process.stdout.write(`seeding ${rows.toLocaleString('en-US')} rows into ${schema}.orders ...\n`);
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.orders (id bigint PRIMARY KEY, customer text, amount numeric(12,2), status text,
    ordered_at timestamptz, updated_at timestamptz, flag boolean, note text)`);
  await admin.query(`INSERT INTO ${schema}.orders SELECT g, 'customer ' || (g % 5000), round((g % 100000) / 7.0, 2),
    (ARRAY['placed','shipped','delivered','cancelled'])[1 + g % 4], timestamptz '2024-01-01' + g * interval '1 second',
    timestamptz '2024-01-01' + g * interval '2 seconds', g % 3 = 0, md5(g::text) FROM generate_series(1, ${rows}) g`);
  await admin.query(`VACUUM ANALYZE ${schema}.orders`);

  mkdirSync(join(dir, 'sqls'));
  writeFileSync(join(dir, 'flapi.yaml'), `project-name: bench\ntemplate:\n  path: ./sqls\n  environment-whitelist: ['^FLAPI_BENCH_PG_URL$']\nconnections:\n  pg:\n    type: postgres\n    url: '{{env.FLAPI_BENCH_PG_URL}}'\nduckdb:\n  db_path: ./cache.duckdb\n`);
  writeFileSync(join(dir, 'sqls', 'orders.yaml'), 'url-path: /orders\ntemplate-source: orders.sql\nconnection: [pg]\ncache:\n  table: orders\n  schema: bench\n  template-file: orders-cache.sql\n  retention:\n    keep-last-snapshots: 1\n');
  writeFileSync(join(dir, 'sqls', 'orders.sql'), 'SELECT * FROM bench.orders');
  writeFileSync(join(dir, 'sqls', 'orders-cache.sql'), select);
  const env = { ...process.env, FLAPI_BENCH_PG_URL: url };
  const compiled = await compileProject({ dir, env, dryRun: false });
  if (!compiled.manifest) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
  const database = await openDatabase(compiled.manifest, { poolSize: 1 });

  const flapi: number[] = [];
  const psqlText: number[] = [];
  const psqlCsv: number[] = [];
  try {
    // A first refresh warms PostgreSQL's cache of the table and DuckDB's file.
    await refreshCache(database, compiled.manifest, 'get_orders', { env });
    for (let round = 1; round <= rounds; round++) {
      psqlText.push(psqlCopy('text'));
      const started = performance.now();
      const snapshot = await refreshCache(database, compiled.manifest, 'get_orders', { env });
      flapi.push(performance.now() - started);
      if (snapshot.rowCount !== rows) throw new Error(`refresh wrote ${snapshot.rowCount} rows, expected ${rows}`);
      psqlCsv.push(psqlCopy('csv'));
      process.stdout.write(`round ${round}: flapi ${flapi.at(-1)!.toFixed(0)} ms, psql \\copy ${psqlText.at(-1)!.toFixed(0)} ms (text) / ${psqlCsv.at(-1)!.toFixed(0)} ms (csv)\n`);
    }
  } finally {
    await database.close();
  }

  const rate = (ms: number) => Math.round(rows / (ms / 1000));
  const lines = [
    ['flapi full cache refresh (PostgreSQL → DuckDB, published)', median(flapi)],
    ['psql \\copy (SELECT ...) to /dev/null, text format', median(psqlText)],
    ['psql \\copy (SELECT ...) to /dev/null, CSV format', median(psqlCsv)],
  ] as const;
  const ratio = median(psqlText) / median(flapi);
  const report = [
    '# Cache refresh throughput from PostgreSQL',
    '',
    `${rows.toLocaleString('en-US')} rows (bigint, text, numeric(12,2), text, 2 × timestamptz, boolean, text), median of ${rounds} alternating rounds, one run on one machine`,
    `(${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} at the end).`,
    '',
    '| | median time | rows/s |',
    '| --- | ---: | ---: |',
    ...lines.map(([label, ms]) => `| ${label} | ${ms.toFixed(0)} ms | ${rate(ms).toLocaleString('en-US')} |`),
    '',
    `flapi refreshes at ${(ratio * 100).toFixed(0)}% of the speed of PostgreSQL's own export of the same rows (psql text format).`,
    '',
  ].join('\n');
  process.stdout.write(`\n${report}`);
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'cache-refresh.md');
  writeFileSync(out, report);
  process.stdout.write(`written to ${out}\n`);
} finally {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
