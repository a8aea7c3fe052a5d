/**
 * The floor of a cold start: the least a server that answers `/flights/:id` from the same
 * local artifact must do — load Koa, @koa/router and @duckdb/node-api, open the file
 * read-only, prepare the point query, listen. The built server's cold start is sampled
 * beside it, so the report can say how much of it is flapi's own.
 *
 * Plain JavaScript run by plain `node` on purpose: going through tsx (as the other bench
 * servers do) would add its own start-up to the floor.
 *
 * Usage: PORT=1234 FLAPI_DATABASE=flights.duckdb node bench/servers/cold-start-floor.mjs
 */
import { createServer } from 'node:http';
import Router from '@koa/router';
import Koa from 'koa';
import { DuckDBInstance } from '@duckdb/node-api';

const instance = await DuckDBInstance.create(process.env.FLAPI_DATABASE, {
  access_mode: 'READ_ONLY',
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
});
const connection = await instance.connect();
const pointQuery = await connection.prepare('SELECT id, date, delay, distance, origin, destination FROM flights WHERE id = $1');

const router = new Router();
router.get('/flights/:id', async (ctx) => {
  pointQuery.bindBigInt(1, BigInt(ctx.params.id));
  const reader = await pointQuery.runAndReadAll();
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(reader.getRowObjectsJson());
});
const app = new Koa();
app.use(router.routes());

const server = createServer(app.callback());
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  connection.closeSync();
  instance.closeSync();
  process.exit(0);
});
