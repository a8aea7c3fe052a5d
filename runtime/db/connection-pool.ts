/**
 * A fixed set of DuckDB connections lent out one request at a time. When all are busy,
 * callers wait in arrival order (FIFO), so a burst cannot starve an early request. The
 * wait is bounded (`limits.pool-queue` waiters, each for at most `limits.pool-wait`):
 * past either, a request is refused with PoolBusyError (503 with Retry-After) instead of
 * queueing without end behind slow queries.
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

/** Every connection is busy and the wait queue is full, or the wait took too long. */
export class PoolBusyError extends Error {
  constructor(
    message: string,
    /** Seconds a client should wait before trying again. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'PoolBusyError';
  }
}

export interface PoolLimits {
  /** Most callers waiting at once (default 256). */
  maxWaiting?: number;
  /** Longest wait for a connection in milliseconds (default 10 s; 0: no limit). */
  maxWaitMs?: number;
}

export const DEFAULT_POOL_QUEUE = 256;
export const DEFAULT_POOL_WAIT_MS = 10_000;

interface Waiter {
  resolve(lease: PooledConnection): void;
  timer?: NodeJS.Timeout;
  /** Gave up waiting: skipped when a connection comes back. */
  gone: boolean;
}

export class ConnectionPool {
  private readonly idle: PooledConnection[];
  private readonly waiters: Waiter[] = [];
  private waiterHead = 0;
  private queued = 0;
  private closed = false;
  private drained: (() => void) | undefined;
  private readonly maxWaiting: number;
  private readonly maxWaitMs: number;

  constructor(
    readonly members: readonly PooledConnection[],
    limits: PoolLimits = {},
  ) {
    this.idle = [...members];
    this.maxWaiting = limits.maxWaiting ?? DEFAULT_POOL_QUEUE;
    this.maxWaitMs = limits.maxWaitMs ?? DEFAULT_POOL_WAIT_MS;
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
    return this.queued;
  }

  /**
   * A connection, now or once one is free. `bounded: false` (the server's own work:
   * cache refreshes, checks) waits without the request limits.
   */
  acquire(bounded = true): Promise<PooledConnection> | PooledConnection {
    if (this.closed) throw new PoolClosedError();
    const lease = this.idle.pop();
    if (lease !== undefined) return lease;
    if (bounded && this.queued >= this.maxWaiting) {
      throw new PoolBusyError(`the server is busy: all ${this.members.length} database connections are in use and ${this.queued} requests wait`, 1);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, gone: false };
      if (bounded && this.maxWaitMs > 0) {
        waiter.timer = setTimeout(() => {
          waiter.gone = true;
          this.queued--;
          reject(new PoolBusyError(`the server is busy: no database connection came free within ${this.maxWaitMs} ms`, Math.max(1, Math.ceil(this.maxWaitMs / 1000))));
        }, this.maxWaitMs);
      }
      this.waiters.push(waiter);
      this.queued++;
    });
  }

  private nextWaiter(): Waiter | undefined {
    while (this.waiterHead < this.waiters.length) {
      const next = this.waiters[this.waiterHead]!;
      this.waiters[this.waiterHead++] = undefined as never;
      if (this.waiterHead > 1024 && this.waiterHead * 2 > this.waiters.length) {
        this.waiters.splice(0, this.waiterHead);
        this.waiterHead = 0;
      }
      if (!next.gone) return next;
    }
    return undefined;
  }

  release(lease: PooledConnection): void {
    const next = this.nextWaiter();
    if (next !== undefined) {
      if (next.timer !== undefined) clearTimeout(next.timer);
      this.queued--;
      next.resolve(lease);
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
