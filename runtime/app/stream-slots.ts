/**
 * Streamed exports (CSV, NDJSON, Arrow) keep their DuckDB connection until the client has
 * read the last byte, so a few clients reading slowly could hold every pooled connection
 * and stall all other queries for as long as they keep trickling. At most `limit` streams
 * hold a connection at once (one fewer than the pool, so one connection always serves
 * everything else); a further export is refused with 503 and `Retry-After` at once.
 */
import { PoolBusyError } from '../db/index.js';

export interface StreamSlots {
  /** Takes a slot; throws PoolBusyError when every slot is held. */
  take(): void;
  give(): void;
  readonly held: number;
}

export function createStreamSlots(poolSize: number): StreamSlots {
  const limit = Math.max(1, poolSize - 1);
  let held = 0;
  return {
    take() {
      if (held >= limit) throw new PoolBusyError(`too many exports are streaming (${limit} at once); try again shortly`, 1);
      held++;
    },
    give() {
      if (held > 0) held--;
    },
    get held() {
      return held;
    },
  };
}
