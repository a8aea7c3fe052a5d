/**
 * Start-up recovery. A refresh that was running when the process stopped never
 * committed its data (the table, the view swap and the record commit together), so its
 * record is marked aborted; any version table no successful record owns is dropped.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CacheTarget } from './cache-target.js';
import type { SnapshotRecord, SnapshotStore } from './snapshot-store.js';
import { qualified, versionOf } from './sql-names.js';

export interface Recovery {
  aborted: SnapshotRecord[];
  droppedTables: string[];
}

export async function recoverCaches(conn: DuckDBConnection, store: SnapshotStore, targets: readonly CacheTarget[]): Promise<Recovery> {
  await store.ensure(conn);
  const aborted = await store.abortRunning(conn);
  const droppedTables: string[] = [];
  for (const target of targets) {
    if (target.catalog !== store.catalog) continue;
    const owned = new Set(
      (await store.all(conn, target.endpoint, target.name))
        .filter((r) => r.status === 'succeeded' && r.prunedAt === undefined && r.physicalTable !== undefined)
        .map((r) => r.physicalTable!),
    );
    const reader = await conn.runAndReadAll(
      "SELECT table_name FROM information_schema.tables WHERE table_catalog = $1 AND table_schema = $2 AND table_type = 'BASE TABLE'",
      [target.catalog, target.schema]);
    for (const [name] of reader.getRows()) {
      const table = String(name);
      if (versionOf(target.table, table) === undefined || owned.has(table)) continue;
      await conn.run(`DROP TABLE IF EXISTS ${qualified(target.catalog, target.schema, table)}`);
      droppedTables.push(table);
    }
  }
  return { aborted, droppedTables };
}
