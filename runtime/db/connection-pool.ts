/**
 * A fixed set of DuckDB connections lent out one request at a time. When all are busy,
 * callers wait in arrival order (FIFO), so a burst cannot starve an early request.
 */
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import { StatementCache } from './statement-cache.js';

/** Prepares (or reuses) a statement; `readOnly` refuses anything but a SELECT. */
export type PrepareFn = (sql: string, options?: { readOnly?: boolean }) => Promise<DuckDBPreparedStatement>;

export interface PooledConnection {
  readonly connection: DuckDBConnection;
  readonly statements: StatementCache;
  /** Bound once per connection so lending one out allocates nothing. */
  readonly prepare: PrepareFn;
}

/** `dataVersion` reads the database's data version; statements are prepared again after it moves. */
export function pooledConnection(connection: DuckDBConnection, cacheSize: number, dataVersion?: () => number): PooledConnection {
  const statements = new StatementCache(connection, cacheSize, dataVersion);
  return { connection, statements, prepare: (sql, options) => statements.prepare(sql, options?.readOnly === true) };
}

export class PoolClosedError extends Error {
  constructor() {
    super('the database is closed');
    this.name = 'PoolClosedError';
  }
}

export class ConnectionPool {
  private readonly idle: PooledConnection[];
  private readonly waiters: Array<(lease: PooledConnection) => void> = [];
  private waiterHead = 0;
  private closed = false;
  private drained: (() => void) | undefined;

  constructor(readonly members: readonly PooledConnection[]) {
    this.idle = [...members];
  }

  get size(): number {
    return this.members.length;
  }

  /** Connections lent out right now. */
  get inUse(): number {
    return this.members.length - this.idle.length;
  }

  /** Callers waiting for a connection. */
  get waiting(): number {
    return this.waiters.length - this.waiterHead;
  }

  acquire(): Promise<PooledConnection> | PooledConnection {
    if (this.closed) throw new PoolClosedError();
    const lease = this.idle.pop();
    if (lease !== undefined) return lease;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(lease: PooledConnection): void {
    if (this.waiterHead < this.waiters.length) {
      const next = this.waiters[this.waiterHead]!;
      this.waiters[this.waiterHead++] = undefined as never;
      if (this.waiterHead > 1024 && this.waiterHead * 2 > this.waiters.length) {
        this.waiters.splice(0, this.waiterHead);
        this.waiterHead = 0;
      }
      next(lease);
      return;
    }
    this.idle.push(lease);
    if (this.drained !== undefined && this.idle.length === this.members.length) this.drained();
  }

  /** Refuses new borrowers and resolves once every connection has come back. */
  async drain(): Promise<void> {
    this.closed = true;
    if (this.idle.length === this.members.length && this.waiting === 0) return;
    await new Promise<void>((resolve) => {
      this.drained = resolve;
    });
  }
}
