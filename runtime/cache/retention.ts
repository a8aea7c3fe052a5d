/**
 * Retention: old physical tables of a cache are dropped once they fall outside
 * `keep-last-snapshots` (newest N tables, the current one counted) or `max-snapshot-age`;
 * the table being served is never dropped. A query still reading a dropped table finishes
 * on it (DuckDB keeps it for transactions that began before the drop). Records are kept
 * longer than tables, up to a bounded history.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CacheSpec } from '../manifest.js';
import { parseDuration } from './parse-duration.js';
import type { SnapshotRecord, SnapshotStore } from './snapshot-store.js';
import { qualified } from './sql-names.js';

/** Physical tables kept when the cache says nothing: the served one and the one before. */
export const DEFAULT_KEEP_TABLES = 2;
/** Records kept per cache beyond those of kept tables. */
export const HISTORY_LIMIT = 100;

export interface PruneResult {
  droppedTables: string[];
  removedRecords: number;
}

export interface PrunePlan {
  dropTables: string[];
  prunedIds: number[];
  removeIds: number[];
}

/** Decides what to drop; pure, so the rules are testable without a database. */
export function planRetention(records: readonly SnapshotRecord[], spec: CacheSpec, now: Date = new Date()): PrunePlan {
  const keep = Math.max(1, spec.retention?.keepLastSnapshots ?? DEFAULT_KEEP_TABLES);
  const maxAgeMs = spec.retention?.maxSnapshotAge ? parseDuration(spec.retention.maxSnapshotAge) : undefined;
  const newestFirst = [...records].sort((a, b) => b.id - a.id);
  const current = newestFirst.find((r) => r.status === 'succeeded');
  // A table's age is that of the newest refresh that wrote it (append and merge reuse one table).
  const lastUse = new Map<string, SnapshotRecord>();
  for (const r of newestFirst) {
    if (r.status === 'succeeded' && r.physicalTable && r.prunedAt === undefined && !lastUse.has(r.physicalTable)) lastUse.set(r.physicalTable, r);
  }
  const dropTables: string[] = [];
  let kept = 0;
  for (const [table, record] of lastUse) {
    const isCurrent = table === current?.physicalTable;
    const tooOld = maxAgeMs !== undefined && now.getTime() - (record.finishedAt ?? record.startedAt).getTime() > maxAgeMs;
    if (isCurrent || (kept < keep && !tooOld)) {
      kept++;
      continue;
    }
    dropTables.push(table);
  }
  const dropped = new Set(dropTables);
  const prunedIds = newestFirst.filter((r) => r.physicalTable !== undefined && dropped.has(r.physicalTable) && r.prunedAt === undefined).map((r) => r.id);
  const liveTables = new Set([...lastUse.keys()].filter((t) => !dropped.has(t)));
  const removeIds = newestFirst
    .filter((r, index) => {
      if (r.status === 'running' || (r.physicalTable !== undefined && liveTables.has(r.physicalTable))) return false;
      const tooOld = maxAgeMs !== undefined && now.getTime() - r.startedAt.getTime() > maxAgeMs;
      return index >= HISTORY_LIMIT || tooOld;
    })
    .map((r) => r.id);
  return { dropTables, prunedIds, removeIds };
}

export async function applyRetention(
  conn: DuckDBConnection,
  store: SnapshotStore,
  target: { endpoint: string; name: string; catalog: string; schema: string; spec: CacheSpec },
): Promise<PruneResult> {
  const records = await store.all(conn, target.endpoint, target.name);
  const plan = planRetention(records, target.spec);
  if (plan.dropTables.length === 0 && plan.removeIds.length === 0) return { droppedTables: [], removedRecords: 0 };
  await conn.run('BEGIN TRANSACTION');
  try {
    for (const table of plan.dropTables) await conn.run(`DROP TABLE IF EXISTS ${qualified(target.catalog, target.schema, table)}`);
    await store.markPruned(conn, plan.prunedIds.filter((id) => !plan.removeIds.includes(id)));
    await store.remove(conn, plan.removeIds);
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return { droppedTables: plan.dropTables, removedRecords: plan.removeIds.length };
}
