/**
 * Streamed exports (CSV, NDJSON, Arrow) keep their DuckDB connection until the client has
 * read the last byte, so a few clients reading slowly could hold every pooled connection
 * and stall all other queries for as long as they keep trickling. At most `limit` streams
 * hold a connection at once (one fewer than the pool, so one connection always serves
 * everything else); further exports wait their turn in arrival order, for at most `waitMs`,
 * then get 503 with `Retry-After`.
 */
import { PoolBusyError } from '../db/index.js';

export interface StreamSlots {
  /** Resolves once a slot is held; rejects with PoolBusyError after the wait. */
  take(): Promise<void> | void;
  give(): void;
  readonly held: number;
}

export function createStreamSlots(poolSize: number, waitMs: number): StreamSlots {
  const limit = Math.max(1, poolSize - 1);
  let held = 0;
  const waiting: Array<{ resolve: () => void; timer: NodeJS.Timeout | undefined }> = [];
  return {
    take() {
      if (held < limit) {
        held++;
        return;
      }
      return new Promise<void>((resolve, reject) => {
        const entry: (typeof waiting)[number] = { resolve, timer: undefined };
        if (waitMs > 0) {
          entry.timer = setTimeout(() => {
            waiting.splice(waiting.indexOf(entry), 1);
            reject(new PoolBusyError(`too many exports are streaming (${limit} at once); try again shortly`, 1));
          }, waitMs);
        }
        waiting.push(entry);
      });
    },
    give() {
      const next = waiting.shift();
      if (next !== undefined) {
        // The slot passes straight to the next export in line.
        if (next.timer !== undefined) clearTimeout(next.timer);
        next.resolve();
        return;
      }
      if (held > 0) held--;
    },
    get held() {
      return held;
    },
  };
}
