/**
 * Prepared statements of one connection, keyed by SQL text, least recently used evicted.
 * A template renders the same SQL for the same section outcomes, so a handful of entries
 * per endpoint covers every request. Whether a statement is a plain SELECT is learned at
 * prepare time and kept with it, so the read-only check costs nothing per request.
 *
 * Every statement is dropped when the data version moves (a write endpoint, a cache
 * refresh): DuckDB 1.5 statements prepared before a MERGE changed rows can read corrupt
 * strings when run again, on any connection. Re-preparing after a change is cheap; reads
 * between changes keep reusing their statements.
 */
import { StatementType, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';

export class NotAReadError extends Error {
  constructor() {
    super('a read endpoint may only run a SELECT statement');
    this.name = 'NotAReadError';
  }
}

interface Entry {
  statement: DuckDBPreparedStatement;
  isSelect: boolean;
}

export class StatementCache {
  private readonly entries = new Map<string, Entry>();
  /** Statements prepared (cache misses), for tests and metrics. */
  prepared = 0;
  /** The most recently used SQL text (the Map's last key). */
  private newest: string | undefined;

  /** The data version the cached statements were prepared under. */
  private version: number;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly capacity: number,
    private readonly dataVersion: () => number = () => 0,
  ) {
    this.version = dataVersion();
  }

  get size(): number {
    return this.entries.size;
  }

  async prepare(sql: string, readOnly = false): Promise<DuckDBPreparedStatement> {
    const version = this.dataVersion();
    if (version !== this.version) {
      this.clear();
      this.version = version;
    }
    let entry = this.entries.get(sql);
    if (entry !== undefined) {
      // Re-insert so Map order stays least-recently-used first, but not when it already is
      // the newest: re-inserting one key over and over lengthens its hash chain in V8
      // until the next rehash (runtime/response-cache/lru-store.ts has the measurements).
      if (this.newest !== sql) {
        this.entries.delete(sql);
        this.entries.set(sql, entry);
        this.newest = sql;
      }
    } else {
      const statement = await this.connection.prepare(sql);
      this.prepared++;
      entry = { statement, isSelect: statement.statementType === StatementType.SELECT };
      this.entries.set(sql, entry);
      this.newest = sql;
      if (this.entries.size > this.capacity) this.evictOldest();
    }
    if (readOnly && !entry.isSelect) throw new NotAReadError();
    return entry.statement;
  }

  private evictOldest(): void {
    const oldest = this.entries.keys().next();
    if (oldest.done === true) return;
    const entry = this.entries.get(oldest.value)!;
    this.entries.delete(oldest.value);
    entry.statement.destroySync();
  }

  clear(): void {
    for (const entry of this.entries.values()) entry.statement.destroySync();
    this.entries.clear();
    this.newest = undefined;
  }
}
