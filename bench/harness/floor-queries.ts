/**
 * The SQL flapi sends DuckDB for each DuckDB-bound scenario of examples/flights, written
 * out by hand with the same bound values, so the in-process floor does the same work:
 * the point lookup as rendered from flight-by-id.sql, the list page as flights.sql
 * wrapped by runtime/plan/pagination.ts (its count runs once per airport and is left
 * out), the delays per day as airport-delays.sql.
 */
import type { DuckDBPreparedStatement } from '@duckdb/node-api';
import { randomDelaysRange, randomFlightId, randomListPage, type FloorKind } from './scenarios.js';

export interface FloorQuery {
  sql: string;
  /** Binds fresh values drawn like the HTTP scenario's parameters. */
  bind(statement: DuckDBPreparedStatement): void;
}

const COLUMNS = 'id, date, delay, distance, origin, destination';

export const FLOOR_QUERIES: Record<FloorKind, FloorQuery> = {
  point: {
    sql: `SELECT ${COLUMNS} FROM flights WHERE id = $1`,
    bind: (statement) => statement.bindBigInt(1, BigInt(randomFlightId())),
  },
  list: {
    sql: `SELECT * FROM (SELECT ${COLUMNS} FROM flights WHERE 1 = 1 AND origin = $1 ORDER BY id) AS flapi_page LIMIT $2 OFFSET $3`,
    bind: (statement) => {
      const { origin, limit, offset } = randomListPage();
      statement.bindVarchar(1, origin);
      statement.bindBigInt(2, BigInt(limit));
      statement.bindBigInt(3, BigInt(offset));
    },
  },
  aggregate: {
    sql: `SELECT CAST(date AS DATE) AS day, count(*) AS departures, round(avg(delay), 2) AS avg_delay,
        count(*) FILTER (WHERE delay >= 15) AS late_departures
      FROM flights
      WHERE origin = $1 AND date >= CAST($2 AS DATE) AND date < CAST($3 AS DATE) + INTERVAL 1 DAY
      GROUP BY day ORDER BY day`,
    bind: (statement) => {
      const { iata, from, to } = randomDelaysRange();
      statement.bindVarchar(1, iata);
      statement.bindVarchar(2, from);
      statement.bindVarchar(3, to);
    },
  },
};
