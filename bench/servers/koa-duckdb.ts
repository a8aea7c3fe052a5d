/**
 * What a user would write instead of flapi: Koa, @koa/router and @duckdb/node-api with
 * one prepared point query per pooled connection (bench/servers/flights-point-pool.ts:
 * the same data, index and pool as the Fastify peer).
 *
 * Usage: PORT=1234 POOL_SIZE=2 node --import tsx bench/servers/koa-duckdb.ts
 */
import Router from '@koa/router';
import Koa from 'koa';
import { openFlightsPointPool, parseFlightId } from './flights-point-pool.js';
import { listenFromEnv } from './listen-from-env.js';

const pool = await openFlightsPointPool();

const router = new Router();
router.get('/flights/:id', async (ctx) => {
  const id = parseFlightId(ctx.params['id']);
  if (id === undefined) {
    ctx.status = 400;
    ctx.body = { errors: [{ field: 'id', message: 'must be a positive integer' }] };
    return;
  }
  const flight = await pool.lookup(id);
  if (flight === undefined) ctx.status = 404;
  else {
    ctx.type = 'application/json';
    ctx.body = flight;
  }
});

const app = new Koa();
app.use(router.routes());

listenFromEnv(app.callback(), async () => pool.close());
