/**
 * What a user would write instead of flapi: Koa, @koa/router and @duckdb/node-api with
 * one prepared point query per pooled connection. The pool has as many connections as
 * flapi's default (POOL_SIZE, else the number of cores), and the table is loaded and
 * indexed the way examples/flights does it, so the two servers answer from identical
 * data through the same index.
 *
 * Usage: PORT=1234 POOL_SIZE=2 node --import tsx bench/servers/koa-duckdb.ts
 */
import { availableParallelism } from 'node:os';
import Router from '@koa/router';
import Koa from 'koa';
import { DuckDBInstance, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { createFlightsIndexSql, createFlightsTableSql, OFFLINE_DUCKDB_OPTIONS } from '../harness/flights-table.js';
import { listenFromEnv } from './listen-from-env.js';

interface Lease {
  connection: DuckDBConnection;
  pointQuery: DuckDBPreparedStatement;
}

const POINT_QUERY = 'SELECT id, date, delay, distance, origin, destination FROM flights WHERE id = $1';

const poolSize = Math.max(1, Number(process.env['POOL_SIZE'] ?? availableParallelism()));
const instance = await DuckDBInstance.create(':memory:', OFFLINE_DUCKDB_OPTIONS);
const setup = await instance.connect();
await setup.run(createFlightsTableSql());
await setup.run(createFlightsIndexSql());
setup.closeSync();

const idle: Lease[] = [];
for (let i = 0; i < poolSize; i++) {
  const connection = await instance.connect();
  idle.push({ connection, pointQuery: await connection.prepare(POINT_QUERY) });
}
const waiting: Array<(lease: Lease) => void> = [];

function acquire(): Promise<Lease> {
  const lease = idle.pop();
  return lease ? Promise.resolve(lease) : new Promise((resolve) => waiting.push(resolve));
}

function release(lease: Lease): void {
  const next = waiting.shift();
  if (next) next(lease);
  else idle.push(lease);
}

/** BIGINT arrives as bigint, which JSON.stringify refuses; ids and delays fit in a double. */
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

const router = new Router();
router.get('/flights/:id', async (ctx) => {
  const id = Number(ctx.params['id']);
  if (!Number.isInteger(id) || id < 1) {
    ctx.status = 400;
    ctx.body = { errors: [{ field: 'id', message: 'must be a positive integer' }] };
    return;
  }
  const lease = await acquire();
  try {
    lease.pointQuery.bindBigInt(1, BigInt(id));
    const reader = await lease.pointQuery.runAndReadAll();
    const rows = reader.getRowObjectsJS();
    if (rows.length === 0) ctx.status = 404;
    else {
      ctx.type = 'application/json';
      ctx.body = JSON.stringify(rows[0], jsonSafe);
    }
  } finally {
    release(lease);
  }
});

const app = new Koa();
app.use(router.routes());

listenFromEnv(app.callback(), async () => {
  for (const lease of idle) lease.connection.closeSync();
  instance.closeSync();
});
