/**
 * The `flights` table exactly as examples/flights builds it in its connection `init` (and
 * its index), so the hand-written server and the in-process COPY baseline read the same
 * rows, laid out the same way, as flapi does.
 */
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const FLIGHTS_PARQUET = fileURLToPath(
  new URL('../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url),
);

export const FLIGHT_COUNT = 3_000_000;

export function createFlightsTableSql(parquetPath: string = FLIGHTS_PARQUET): string {
  const literal = parquetPath.replaceAll("'", "''");
  return `CREATE TABLE IF NOT EXISTS flights AS
  SELECT file_row_number + 1 AS id, date, delay, distance, origin, destination
  FROM read_parquet('${literal}', file_row_number = true)`;
}

/**
 * The index examples/flights declares (`indexes: flights: { columns: [id], unique: true }`),
 * under the name flapi gives it, so the peers look ids up on the same index.
 */
export function createFlightsIndexSql(): string {
  return 'CREATE UNIQUE INDEX IF NOT EXISTS flights__id__key ON flights (id)';
}

/** Instance options used wherever the bench opens DuckDB: never fetch extensions. */
export const OFFLINE_DUCKDB_OPTIONS: Record<string, string> = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
};
