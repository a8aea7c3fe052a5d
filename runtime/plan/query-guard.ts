/**
 * Bounds one query's connection: the request timeout, and an abort when the caller goes
 * away. Either interrupts the running DuckDB query, which then rejects with an INTERRUPT
 * error; a guard that already stopped does nothing.
 */
import type { PooledConnection } from '../db/index.js';

export interface QueryGuard {
  /** The first byte is ready: the timeout no longer applies, an abort still does. */
  settle(): void;
  /** The connection goes back to the pool: nothing may interrupt it from here on. */
  stop(): void;
  /** Interrupts the query now: the client disconnected or stopped reading. */
  abort(): void;
  /** True once the timeout fired. */
  readonly timedOut: boolean;
}

export function guardQuery(lease: PooledConnection, timeoutMs: number): QueryGuard {
  let active = true;
  let timedOut = false;
  const interrupt = () => {
    if (!active) return;
    active = false;
    lease.connection.interrupt();
  };
  const timer = timeoutMs > 0 ? setTimeout(() => {
    timedOut = true;
    interrupt();
  }, timeoutMs) : undefined;
  return {
    settle() {
      if (timer !== undefined) clearTimeout(timer);
    },
    stop() {
      active = false;
      if (timer !== undefined) clearTimeout(timer);
    },
    abort() {
      if (timer !== undefined) clearTimeout(timer);
      interrupt();
    },
    get timedOut() {
      return timedOut;
    },
  };
}
