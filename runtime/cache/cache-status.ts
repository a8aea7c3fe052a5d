/**
 * What `GET /_flapi/cache` answers: per cache, whether it serves data, how fresh it is,
 * what the last attempt did (with its error when it failed), and recent snapshots.
 */
import type { Database } from '../db/index.js';
import type { CacheState } from './refresh-loop.js';
import { SnapshotStore, type SnapshotRecord } from './snapshot-store.js';

export interface SnapshotJson {
  id: number;
  mode: string;
  trigger: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  rows_written: number | null;
  row_count: number | null;
  high_water_mark: string | null;
  table: string | null;
  pruned: boolean;
  error: string | null;
}

export interface CacheStatusJson {
  endpoint: string;
  table: string;
  catalog: string;
  mode: string;
  source: string;
  schedule: string | null;
  /** fresh: the last attempt succeeded; stale: it failed and older data serves; empty: no data yet. */
  state: 'fresh' | 'stale' | 'empty';
  has_data: boolean;
  refreshing: boolean;
  refreshing_since: string | null;
  rows: number | null;
  snapshot_id: number | null;
  last_refresh: SnapshotJson | null;
  last_attempt: SnapshotJson | null;
  error: string | null;
  consecutive_failures: number;
  next_refresh_at: string | null;
  snapshots: SnapshotJson[];
}

export interface CacheReport {
  ready: boolean;
  refresh: string;
  caches: CacheStatusJson[];
}

const HISTORY_SHOWN = 10;

export async function cacheReport(database: Database, states: ReadonlyMap<string, CacheState>, refresh: string): Promise<CacheReport> {
  const caches: CacheStatusJson[] = [];
  for (const state of states.values()) {
    const { target } = state;
    const history = await database
      .withConnection((conn) => new SnapshotStore(target.catalog).history(conn, target.endpoint, target.name, HISTORY_SHOWN))
      .catch((): SnapshotRecord[] => []);
    const failed = state.lastAttempt !== undefined && state.lastAttempt.status !== 'succeeded';
    const error = state.lastError ?? (failed ? state.lastAttempt?.error : undefined);
    caches.push({
      endpoint: target.endpoint,
      table: target.name,
      catalog: target.catalog,
      mode: target.spec.mode,
      source: target.source?.type ?? 'duckdb',
      schedule: target.spec.schedule ?? null,
      state: !state.hasData ? 'empty' : error !== undefined ? 'stale' : 'fresh',
      has_data: state.hasData,
      refreshing: state.running !== undefined,
      refreshing_since: state.running?.since.toISOString() ?? null,
      rows: state.current?.rowCount ?? null,
      snapshot_id: state.current?.id ?? null,
      last_refresh: state.current ? snapshotJson(state.current) : null,
      last_attempt: state.lastAttempt ? snapshotJson(state.lastAttempt) : null,
      error: error ?? null,
      consecutive_failures: state.failures,
      next_refresh_at: state.nextAt?.toISOString() ?? null,
      snapshots: history.map(snapshotJson),
    });
  }
  return { ready: caches.every((c) => c.has_data), refresh, caches };
}

export function snapshotJson(record: SnapshotRecord): SnapshotJson {
  return {
    id: record.id,
    mode: record.mode,
    trigger: record.trigger,
    status: record.status,
    started_at: record.startedAt.toISOString(),
    finished_at: record.finishedAt?.toISOString() ?? null,
    duration_ms: record.finishedAt ? record.finishedAt.getTime() - record.startedAt.getTime() : null,
    rows_written: record.rowsWritten ?? null,
    row_count: record.rowCount ?? null,
    high_water_mark: record.highWaterMark ?? null,
    table: record.physicalTable ?? null,
    pruned: record.prunedAt !== undefined,
    error: record.error ?? null,
  };
}
