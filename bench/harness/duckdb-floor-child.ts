/**
 * The in-process DuckDB floor, as its own process so that its CPU is its own: loads
 * the flights table and its index the way the peers do, prepares every floor query on
 * each of POOL_SIZE connections, then runs the jobs its parent sends over IPC. A job is
 * `callers` concurrent loops, each borrowing a connection, binding fresh values and
 * running the query to a materialised result, for a warm-up and then a measured window;
 * it answers with the queries completed, the window's length and `process.cpuUsage()`
 * over it (every thread of the process, DuckDB's included).
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { createFlightsIndexSql, createFlightsTableSql, OFFLINE_DUCKDB_OPTIONS } from './flights-table.js';
import { fifoPool } from './fifo-pool.js';
import { FLOOR_QUERIES } from './floor-queries.js';
import type { FloorJob, FloorMessage } from './duckdb-floor.js';
import type { FloorKind } from './scenarios.js';

interface Lease {
  connection: DuckDBConnection;
  statements: Record<FloorKind, DuckDBPreparedStatement>;
}

const send = (message: FloorMessage): void => void process.send?.(message);

const instance = await DuckDBInstance.create(':memory:', OFFLINE_DUCKDB_OPTIONS);
const setup = await instance.connect();
await setup.run(createFlightsTableSql(process.env['FLOOR_PARQUET'] || undefined));
await setup.run(createFlightsIndexSql());
setup.closeSync();

const leases: Lease[] = [];
for (let i = 0; i < Math.max(1, Number(process.env['POOL_SIZE'] ?? 2)); i++) {
  const connection = await instance.connect();
  const statements = {} as Record<FloorKind, DuckDBPreparedStatement>;
  for (const [kind, query] of Object.entries(FLOOR_QUERIES)) statements[kind as FloorKind] = await connection.prepare(query.sql);
  leases.push({ connection, statements });
}
const pool = fifoPool(leases);

/** Runs the job's callers until `seconds` have passed; every query started before then completes and counts. */
async function load(kind: FloorKind, callers: number, seconds: number): Promise<{ queries: number; latenciesMs: number[] }> {
  const deadline = performance.now() + seconds * 1000;
  const latenciesMs: number[] = [];
  const query = FLOOR_QUERIES[kind];
  const caller = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const started = performance.now();
      const lease = await pool.acquire();
      try {
        const statement = lease.statements[kind];
        query.bind(statement);
        await statement.runAndReadAll();
      } finally {
        pool.release(lease);
      }
      latenciesMs.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
  return { queries: latenciesMs.length, latenciesMs };
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function runJob(job: FloorJob): Promise<void> {
  try {
    if (job.warmupSeconds > 0) await load(job.kind, job.callers, job.warmupSeconds);
    const cpu = process.cpuUsage();
    const started = performance.now();
    const { queries, latenciesMs } = await load(job.kind, job.callers, job.seconds);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const sorted = latenciesMs.sort((a, b) => a - b);
    send({
      type: 'result', id: job.id, queries, seconds, cpuSeconds: (used.user + used.system) / 1e6,
      p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99),
    });
  } catch (err) {
    send({ type: 'error', id: job.id, message: (err as Error).message });
  }
}

process.on('message', (message: FloorJob | { type: 'stop' }) => {
  if (message.type === 'run') void runJob(message);
  else {
    for (const lease of leases) lease.connection.closeSync();
    instance.closeSync();
    process.exit(0);
  }
});
send({ type: 'ready' });
