/**
 * Every refresh leaves a row in `_flapi.cache_snapshots`, in the same DuckDB database as
 * the cache tables. The row is written `running` before any work starts and completed
 * in the transaction that publishes the data, so a crash can leave a `running` row (made
 * `aborted` at the next start) but never a published table without its record.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { qualified, quoteIdent } from './sql-names.js';

export type SnapshotStatus = 'running' | 'succeeded' | 'failed' | 'aborted';
export type RefreshMode = 'full' | 'append' | 'merge';
export type RefreshTrigger = 'startup' | 'schedule' | 'retry' | 'manual' | 'bake';

export interface SnapshotRecord {
  id: number;
  endpoint: string;
  /** `schema.table` as configured. */
  cacheTable: string;
  /** The table holding the data after this refresh (`orders__v12`), once it succeeded. */
  physicalTable: string | undefined;
  mode: RefreshMode;
  trigger: string;
  status: SnapshotStatus;
  startedAt: Date;
  finishedAt: Date | undefined;
  /** Rows this refresh wrote (all of them for a full refresh, new or changed ones otherwise). */
  rowsWritten: number | undefined;
  /** Rows in the cache once this refresh was published. */
  rowCount: number | undefined;
  /** Largest cursor value in the cache after this refresh, as text. */
  highWaterMark: string | undefined;
  error: string | undefined;
  /** When retention dropped this snapshot's table. */
  prunedAt: Date | undefined;
}

export const SNAPSHOT_SCHEMA = '_flapi';
const TABLE = 'cache_snapshots';
const SEQUENCE = 'cache_snapshot_ids';
const COLUMNS = 'id, endpoint, cache_table, physical_table, mode, trigger, status, started_at, finished_at, rows_written, row_count, high_water_mark, error, pruned_at';

export class SnapshotStore {
  private readonly table: string;
  private readonly sequence: string;

  constructor(readonly catalog: string) {
    this.table = qualified(catalog, SNAPSHOT_SCHEMA, TABLE);
    this.sequence = qualified(catalog, SNAPSHOT_SCHEMA, SEQUENCE);
  }

  /** Creates the schema, sequence and table when missing (idempotent). */
  async ensure(conn: DuckDBConnection): Promise<void> {
    await conn.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.catalog)}.${quoteIdent(SNAPSHOT_SCHEMA)}`);
    await conn.run(`CREATE SEQUENCE IF NOT EXISTS ${this.sequence}`);
    await conn.run(`CREATE TABLE IF NOT EXISTS ${this.table} (
      id BIGINT NOT NULL,
      endpoint VARCHAR NOT NULL,
      cache_table VARCHAR NOT NULL,
      physical_table VARCHAR,
      mode VARCHAR NOT NULL,
      trigger VARCHAR NOT NULL,
      status VARCHAR NOT NULL,
      started_at TIMESTAMPTZ NOT NULL,
      finished_at TIMESTAMPTZ,
      rows_written BIGINT,
      row_count BIGINT,
      high_water_mark VARCHAR,
      error VARCHAR,
      pruned_at TIMESTAMPTZ)`);
  }

  /** Records a refresh as `running` (committed on its own) and returns its id. */
  async begin(conn: DuckDBConnection, entry: { endpoint: string; cacheTable: string; mode: RefreshMode; trigger: string }): Promise<number> {
    const reader = await conn.runAndReadAll(`SELECT nextval('${this.sequence.replace(/'/g, "''")}')`);
    const id = Number(reader.getRows()[0]![0]);
    await conn.run(`INSERT INTO ${this.table} (id, endpoint, cache_table, mode, trigger, status, started_at) VALUES ($1, $2, $3, $4, $5, 'running', $6::TIMESTAMPTZ)`,
      [id, entry.endpoint, entry.cacheTable, entry.mode, entry.trigger, new Date().toISOString()]);
    return id;
  }

  /** Marks a refresh succeeded; call inside the transaction that publishes its data. */
  async succeed(conn: DuckDBConnection, id: number, outcome: { physicalTable: string; rowsWritten: number; rowCount: number; highWaterMark: string | undefined }): Promise<void> {
    await conn.run(`UPDATE ${this.table} SET status = 'succeeded', finished_at = $2::TIMESTAMPTZ, physical_table = $3, rows_written = $4, row_count = $5, high_water_mark = $6 WHERE id = $1`,
      [id, new Date().toISOString(), outcome.physicalTable, outcome.rowsWritten, outcome.rowCount, outcome.highWaterMark ?? null]);
  }

  async fail(conn: DuckDBConnection, id: number, error: string, status: 'failed' | 'aborted' = 'failed'): Promise<void> {
    await conn.run(`UPDATE ${this.table} SET status = $2, finished_at = $3::TIMESTAMPTZ, error = $4 WHERE id = $1`,
      [id, status, new Date().toISOString(), error]);
  }

  /** Refreshes a previous process left `running` (it stopped mid-way): marked `aborted`. */
  async abortRunning(conn: DuckDBConnection): Promise<SnapshotRecord[]> {
    const running = await this.select(conn, `status = 'running'`, []);
    if (running.length === 0) return [];
    await conn.run(`UPDATE ${this.table} SET status = 'aborted', finished_at = $1::TIMESTAMPTZ, error = 'the process stopped before this refresh finished' WHERE status = 'running'`,
      [new Date().toISOString()]);
    return running;
  }

  /** The refresh whose data the cache serves: the newest that succeeded. */
  async current(conn: DuckDBConnection, endpoint: string, cacheTable: string): Promise<SnapshotRecord | undefined> {
    const rows = await this.select(conn, `endpoint = $1 AND cache_table = $2 AND status = 'succeeded' ORDER BY id DESC LIMIT 1`, [endpoint, cacheTable]);
    return rows[0];
  }

  /** Newest first. */
  async history(conn: DuckDBConnection, endpoint: string, cacheTable: string, limit = 20): Promise<SnapshotRecord[]> {
    return this.select(conn, `endpoint = $1 AND cache_table = $2 ORDER BY id DESC LIMIT $3`, [endpoint, cacheTable, limit]);
  }

  /** Every record of a cache, newest first (for retention). */
  async all(conn: DuckDBConnection, endpoint: string, cacheTable: string): Promise<SnapshotRecord[]> {
    return this.select(conn, `endpoint = $1 AND cache_table = $2 ORDER BY id DESC`, [endpoint, cacheTable]);
  }

  async markPruned(conn: DuckDBConnection, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await conn.run(`UPDATE ${this.table} SET pruned_at = $1::TIMESTAMPTZ WHERE id IN (${ids.map(Number).join(', ')})`, [new Date().toISOString()]);
  }

  async remove(conn: DuckDBConnection, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await conn.run(`DELETE FROM ${this.table} WHERE id IN (${ids.map(Number).join(', ')})`);
  }

  private async select(conn: DuckDBConnection, where: string, values: DuckDBValue[]): Promise<SnapshotRecord[]> {
    const reader = await conn.runAndReadAll(`SELECT ${COLUMNS} FROM ${this.table} WHERE ${where}`, values);
    return reader.getRowObjectsJS().map(toRecord);
  }
}

function toRecord(row: Record<string, unknown>): SnapshotRecord {
  return {
    id: Number(row['id']),
    endpoint: String(row['endpoint']),
    cacheTable: String(row['cache_table']),
    physicalTable: optionalText(row['physical_table']),
    mode: String(row['mode']) as RefreshMode,
    trigger: String(row['trigger']),
    status: String(row['status']) as SnapshotStatus,
    startedAt: row['started_at'] as Date,
    finishedAt: (row['finished_at'] as Date | null) ?? undefined,
    rowsWritten: optionalNumber(row['rows_written']),
    rowCount: optionalNumber(row['row_count']),
    highWaterMark: optionalText(row['high_water_mark']),
    error: optionalText(row['error']),
    prunedAt: (row['pruned_at'] as Date | null) ?? undefined,
  };
}

function optionalText(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}
