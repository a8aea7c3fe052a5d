/**
 * What flAPI's config service calls the cache audit log and garbage collection, on
 * this cache layer: the audit log is the snapshot records, garbage collection is the
 * cache's retention applied now instead of after the next refresh.
 */
import type { Database } from '../db/index.js';
import type { CacheState } from './refresh-loop.js';
import { applyRetention, type PruneResult } from './retention.js';
import { SnapshotStore, type SnapshotRecord } from './snapshot-store.js';

/** Refresh records, newest first: of one endpoint's cache, or of every cache. */
export async function auditRecords(database: Database, states: ReadonlyMap<string, CacheState>, endpoint: string | undefined, limit: number): Promise<SnapshotRecord[]> {
  const conn = await database.instance.connect();
  try {
    const out: SnapshotRecord[] = [];
    for (const { target } of states.values()) {
      if (endpoint !== undefined && target.endpoint !== endpoint) continue;
      // No refresh has run yet: the snapshot table may not exist, which is an empty log.
      out.push(...(await new SnapshotStore(target.catalog).history(conn, target.endpoint, target.name, limit).catch(() => [])));
    }
    return out.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || b.id - a.id).slice(0, limit);
  } finally {
    conn.closeSync();
  }
}

export async function collectGarbage(database: Database, state: CacheState): Promise<PruneResult> {
  const conn = await database.instance.connect();
  try {
    const store = new SnapshotStore(state.target.catalog);
    await store.ensure(conn);
    return await applyRetention(conn, store, state.target);
  } finally {
    conn.closeSync();
  }
}
