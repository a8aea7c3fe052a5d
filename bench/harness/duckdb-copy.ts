/**
 * DuckDB's own export speed for the rows of the export scenario: `COPY (SELECT ...) TO
 * '/dev/null'` in this process, no HTTP and no JavaScript per row. The export scenarios
 * are reported beside it in rows/s, and its CPU beside theirs. Nothing else runs in this
 * process meanwhile (the servers are child processes, idle), so its CPU usage is COPY's.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { createFlightsTableSql, OFFLINE_DUCKDB_OPTIONS } from './flights-table.js';

export type CopyFormat = 'csv' | 'json';

export interface CopyTiming {
  format: CopyFormat;
  rows: number;
  /** Median over the runs. */
  ms: number;
  rowsPerSec: number;
  /** CPU of one COPY (every thread of this process, median over the runs), in ms. */
  cpuMs?: number;
}

export interface DuckdbCopy {
  /** Times `runs` COPYs of the first `rows` rows (after one uncounted warm-up run). */
  measure(format: CopyFormat, rows: number, runs: number): Promise<CopyTiming>;
  close(): void;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** An in-memory flights table to COPY from, kept open for repeated measurements. */
export async function openDuckdbCopy(): Promise<DuckdbCopy> {
  const instance = await DuckDBInstance.create(':memory:', OFFLINE_DUCKDB_OPTIONS);
  const connection = await instance.connect();
  await connection.run(createFlightsTableSql());
  return {
    async measure(format, rows, runs) {
      const samples: number[] = [];
      const cpuSamples: number[] = [];
      for (let i = 0; i <= runs; i++) {
        // The query of examples/flights' export endpoint: a plain scan in table order.
        const sql = `COPY (SELECT id, date, delay, distance, origin, destination FROM flights
          LIMIT ${rows}) TO '/dev/null' (FORMAT ${format})`;
        const cpu = process.cpuUsage();
        const t0 = performance.now();
        await connection.run(sql);
        const ms = performance.now() - t0;
        const used = process.cpuUsage(cpu);
        // The first run warms the buffers and is not counted.
        if (i > 0) {
          samples.push(ms);
          cpuSamples.push((used.user + used.system) / 1000);
        }
      }
      const ms = median(samples);
      return { format, rows, ms, rowsPerSec: rows / (ms / 1000), cpuMs: median(cpuSamples) };
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export async function measureDuckdbCopy(rows: number, runs: number): Promise<CopyTiming[]> {
  const copy = await openDuckdbCopy();
  try {
    return [await copy.measure('csv', rows, runs), await copy.measure('json', rows, runs)];
  } finally {
    copy.close();
  }
}
