/**
 * The same hand-written point lookup as servers/koa-duckdb.ts on Fastify instead of Koa:
 * the same table, index and pool (servers/flights-point-pool.ts), one query per request.
 * Fastify is the faster Node framework, so this peer shows what the HTTP layer alone
 * can take off a DuckDB-bound server.
 *
 * Usage: PORT=1234 POOL_SIZE=2 node --import tsx bench/servers/fastify-duckdb.ts
 */
import Fastify from 'fastify';
import { openFlightsPointPool, parseFlightId } from './flights-point-pool.js';

const pool = await openFlightsPointPool();

const app = Fastify({ logger: false });
app.get<{ Params: { id: string } }>('/flights/:id', async (request, reply) => {
  const id = parseFlightId(request.params.id);
  if (id === undefined) return reply.code(400).send({ errors: [{ field: 'id', message: 'must be a positive integer' }] });
  const flight = await pool.lookup(id);
  if (flight === undefined) return reply.code(404).send();
  return reply.type('application/json').send(flight);
});

const port = Number(process.env['PORT'] ?? '0');
const host = process.env['HOST'] ?? '127.0.0.1';
const address = await app.listen({ port, host });
process.stdout.write(`listening on ${address}\n`);

const stop = (): void => {
  // Exits cleanly so that --cpu-prof and the harness's peak-RSS reading see a normal end.
  void app.close().finally(() => {
    pool.close();
    process.exit(0);
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
