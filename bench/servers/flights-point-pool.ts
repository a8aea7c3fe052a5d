/**
 * What the hand-written peers share, so that only their HTTP framework differs: the
 * flights table loaded the way examples/flights loads it, with the same index on `id`,
 * and a pool of connections (POOL_SIZE, else one per core like flapi's default), each
 * holding the prepared point query. One query per request, callers served first come,
 * first served.
 */
import { availableParallelism } from 'node:os';
import { DuckDBInstance, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { fifoPool } from '../harness/fifo-pool.js';
import { createFlightsIndexSql, createFlightsTableSql, OFFLINE_DUCKDB_OPTIONS } from '../harness/flights-table.js';

interface Lease {
  connection: DuckDBConnection;
  pointQuery: DuckDBPreparedStatement;
}

export interface FlightsPointPool {
  /** The flight as JSON text, or undefined when no flight has this id. */
  lookup(id: number): Promise<string | undefined>;
  close(): void;
}

const POINT_QUERY = 'SELECT id, date, delay, distance, origin, destination FROM flights WHERE id = $1';

/** A flight id from a path segment, or undefined when it is not a positive integer. */
export function parseFlightId(text: string | undefined): number | undefined {
  const id = Number(text);
  return Number.isInteger(id) && id >= 1 ? id : undefined;
}

/** BIGINT arrives as bigint, which JSON.stringify refuses; ids and delays fit in a double. */
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

export async function openFlightsPointPool(poolSize = Number(process.env['POOL_SIZE'] ?? availableParallelism())): Promise<FlightsPointPool> {
  const instance = await DuckDBInstance.create(':memory:', OFFLINE_DUCKDB_OPTIONS);
  const setup = await instance.connect();
  await setup.run(createFlightsTableSql());
  await setup.run(createFlightsIndexSql());
  setup.closeSync();

  const leases: Lease[] = [];
  for (let i = 0; i < Math.max(1, poolSize); i++) {
    const connection = await instance.connect();
    leases.push({ connection, pointQuery: await connection.prepare(POINT_QUERY) });
  }
  const pool = fifoPool(leases);

  return {
    async lookup(id) {
      const lease = await pool.acquire();
      try {
        lease.pointQuery.bindBigInt(1, BigInt(id));
        const reader = await lease.pointQuery.runAndReadAll();
        const rows = reader.getRowObjectsJS();
        return rows.length === 0 ? undefined : JSON.stringify(rows[0], jsonSafe);
      } finally {
        pool.release(lease);
      }
    },
    close() {
      for (const lease of leases) lease.connection.closeSync();
      instance.closeSync();
    },
  };
}
