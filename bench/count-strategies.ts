/**
 * `node --import tsx bench/count-strategies.ts`: how to get `total_count` for a page of
 * examples/flights' list and aggregate endpoints, measured in-process on the same table:
 * the page and a separate count(*) in turn on one connection (what flapi does), the two at
 * once on two connections, or one query with `count(*) OVER ()`. Prints ms per request.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { createFlightsTableSql, OFFLINE_DUCKDB_OPTIONS } from './harness/flights-table.js';

const AIRPORTS = ['ORD', 'ATL', 'DFW', 'LAX', 'PHX', 'DEN', 'IAH', 'LAS', 'DTW', 'MSP'];
const LIST = `SELECT id, date, delay, distance, origin, destination FROM flights WHERE 1 = 1 AND origin = $1 ORDER BY id`;
const AGGREGATE = `SELECT CAST(date AS DATE) AS day, count(*) AS departures, round(avg(delay), 2) AS avg_delay,
  count(*) FILTER (WHERE delay >= 15) AS late_departures FROM flights WHERE origin = $1 GROUP BY day ORDER BY day`;

const page = (sql: string) => `SELECT * FROM (\n${sql}\n) AS flapi_page LIMIT $2 OFFSET $3`;
const count = (sql: string) => `SELECT count(*) AS total FROM (\n${sql}\n) AS flapi_count`;
const windowed = (sql: string) => `SELECT *, count(*) OVER () AS flapi_total FROM (\n${sql}\n) AS flapi_page LIMIT $2 OFFSET $3`;

const instance = await DuckDBInstance.create(':memory:', OFFLINE_DUCKDB_OPTIONS);
const setup = await instance.connect();
await setup.run(createFlightsTableSql());
const [a, b] = [await instance.connect(), await instance.connect()] as [DuckDBConnection, DuckDBConnection];

async function run(statement: DuckDBPreparedStatement, values: unknown[]): Promise<void> {
  statement.bind(values as never);
  const result = await statement.run();
  for (let i = 0; i < result.chunkCount; i++) result.getChunk(i);
}

async function time(label: string, requests: number, once: (airport: string, offset: number) => Promise<void>): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < requests; i++) await once(AIRPORTS[i % AIRPORTS.length]!, (i % 5) * 100);
  process.stdout.write(`${label}: ${((performance.now() - started) / requests).toFixed(1)} ms per request\n`);
}

for (const [name, sql] of [['list page', LIST], ['aggregate', AGGREGATE]] as const) {
  const pageA = await a.prepare(page(sql));
  const countA = await a.prepare(count(sql));
  const countB = await b.prepare(count(sql));
  const windowA = await a.prepare(windowed(sql));
  for (let round = 0; round < 2; round++) {
    await time(`${name}: page only`, 40, (o, off) => run(pageA, [o, 100, off]));
    await time(`${name}: page, then count (one connection)`, 40, async (o, off) => {
      await run(pageA, [o, 100, off]);
      await run(countA, [o]);
    });
    await time(`${name}: page and count at once (two connections)`, 40, (o, off) =>
      Promise.all([run(pageA, [o, 100, off]), run(countB, [o])]).then(() => undefined),
    );
    await time(`${name}: count(*) OVER () (one query)`, 40, (o, off) => run(windowA, [o, 100, off]));
  }
}
a.closeSync();
b.closeSync();
setup.closeSync();
instance.closeSync();
