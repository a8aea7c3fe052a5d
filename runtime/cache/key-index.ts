/**
 * The ART index on a cache's `primary-key`, made on the physical table a refresh
 * publishes, inside its transaction: readers see the new data with its index or the old
 * data with its own, and a point lookup by key scans the index instead of the table.
 *
 * Unique only where the refresh guarantees one row per key: merge mode keeps the newest
 * row of each key. A full refresh serves the rows as selected, duplicates included, and a
 * self-writing template writes what it writes, so their index is not unique and duplicate
 * keys never fail the refresh.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { createIndexSql, type TableIndex } from '../db/table-index.js';
import type { CacheSpec } from '../manifest.js';
import type { WriteTarget } from './write-modes.js';

function keyIndex(target: WriteTarget, selfWriting: boolean): TableIndex | undefined {
  const keys = target.spec.primaryKey;
  if (keys.length === 0) return undefined;
  return { table: [target.catalog, target.schema, target.physical], columns: keys, unique: uniqueKeys(target.spec, selfWriting) };
}

function uniqueKeys(spec: CacheSpec, selfWriting: boolean): boolean {
  return spec.mode === 'merge' && !selfWriting;
}

/** Idempotent: an incremental refresh finds the index its first load made (or makes it for a table older than indexes). */
export async function indexKey(conn: DuckDBConnection, target: WriteTarget, selfWriting: boolean): Promise<void> {
  const index = keyIndex(target, selfWriting);
  if (index === undefined) return;
  try {
    await conn.run(createIndexSql(index));
  } catch (err) {
    const detail = String((err as Error).message ?? err).split('\n')[0]!;
    throw new Error(`primary-key (${index.columns.join(', ')}) cannot be indexed (${detail}); name columns of plain types that the cache template selects`, { cause: err });
  }
}
