/**
 * Concurrent key lookups of one endpoint answered by one query.
 *
 * A point lookup costs DuckDB about the same fixed few hundred microseconds whether it
 * fetches one key or thirty (the driver round trip, planning, the index probe set-up), so
 * under load most of a server's time goes into that fixed part. Requests whose rendered
 * SQL is the same key lookup (runtime/plan/lookup-shape.ts) queue here while the pool's
 * connections are busy; whenever one comes free, everything queued (up to
 * MAX_BATCH_KEYS distinct keys) runs as one `IN (...)` query and the rows are handed back
 * per key. An idle server runs a lone request at once: nothing waits for company.
 *
 * Every request gets what it would have got alone. Rows are split by DuckDB's own
 * `column = $k` mask, in the query's order, paged or capped per request; a key with several
 * rows and no ORDER BY to place them runs alone, as its order is the scan's. A batch that fails, or
 * returns more rows than the guard, answers nobody: each of its requests runs alone (and
 * so gets its own error or rows); only a timeout is shared, as it bounds the wait.
 */
import { bindValues, type ConnectionPool, type PooledConnection } from '../db/index.js';
import type { BigintMode } from '../serialize/index.js';
import type { BoundValue, RenderedSql } from '../template/index.js';
import { analyseLookup, BATCH_ROW_GUARD, BATCH_SIZES, MAX_BATCH_KEYS, mayBeLookup, type LookupVerdict } from './lookup-shape.js';
import { guardQuery } from './query-guard.js';
import { jsonWriterFor, type RowsJson } from './rows-json.js';

/** Distinct SQL texts an endpoint keeps a verdict for; past it new texts just run alone. */
const MAX_SHAPES = 64;

/** A request's rows, how many its key has in all, and how many requests the query that found them answered. */
export interface BatchedRows extends RowsJson {
  total: number;
  batch: number;
}

/** A request that is to run alone after all, on this connection (lent to it, not to be lent again). */
export interface RunAlone {
  lease: PooledConnection;
}

export type LookupOutcome = BatchedRows | RunAlone | undefined;

/** The rows a request wants of its key's: a page, or the first `limit` (the row cap), or all. */
export interface RowWindow {
  offset: number;
  limit: number | undefined;
}

interface Waiting {
  value: BoundValue;
  window: RowWindow;
  resolve(answer: LookupOutcome): void;
  reject(err: unknown): void;
}

interface Group {
  sql: string;
  /** Undefined while DuckDB is being asked. */
  verdict: LookupVerdict | undefined;
  queue: Waiting[];
  /** A drain is waiting for a connection: later arrivals ride on it. */
  draining: boolean;
}

export interface KeyBatcher {
  /**
   * The rows of a read with one bound key, as JSON text, answered together with concurrent
   * lookups of the same SQL. `undefined` at once: this request runs alone. Resolves
   * `undefined`: its batch gave way and it must run alone after all; `RunAlone`: it runs
   * alone on the connection it waited for (its caller releases it).
   */
  lookup(rendered: RenderedSql, window: RowWindow): Promise<LookupOutcome> | undefined;
  /** What is known of a SQL text: for tests and diagnostics. */
  verdict(sql: string): LookupVerdict | undefined;
  /** Batched queries run so far, and the requests they answered. */
  stats(): { batches: number; requests: number };
}

export interface KeyBatcherOptions {
  pool: ConnectionPool;
  bigint: BigintMode;
  timeoutMs: number;
}

function isIntegerValue(value: BoundValue): boolean {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value));
}

/**
 * Each key's index by its digits (`String` of a bigint and of an integer number agree);
 * undefined when two keys share their digits (`5` and `5n`), which only the mask tells apart.
 */
function keyIndex(keys: readonly BoundValue[]): Map<string, number> | undefined {
  const index = new Map<string, number>();
  for (const [i, key] of keys.entries()) {
    if (index.has(String(key))) return undefined;
    index.set(String(key), i);
  }
  return index;
}

function valueKey(value: BoundValue): string {
  return `${typeof value}:${String(value)}`;
}

/** The queue's head, up to MAX_BATCH_KEYS distinct keys; the keys, and each taken request's key index. */
function takeBatch(queue: Waiting[]): { keys: BoundValue[]; taken: Array<{ waiting: Waiting; key: number }> } {
  const index = new Map<string, number>();
  const keys: BoundValue[] = [];
  const taken: Array<{ waiting: Waiting; key: number }> = [];
  let n = 0;
  for (; n < queue.length; n++) {
    const waiting = queue[n]!;
    const id = valueKey(waiting.value);
    let key = index.get(id);
    if (key === undefined) {
      if (keys.length === MAX_BATCH_KEYS) break;
      key = keys.length;
      index.set(id, key);
      keys.push(waiting.value);
    }
    taken.push({ waiting, key });
  }
  queue.splice(0, n);
  return { keys, taken };
}

export function createKeyBatcher(options: KeyBatcherOptions): KeyBatcher {
  const { pool, bigint, timeoutMs } = options;
  const groups = new Map<string, Group>();
  let batches = 0;
  let requests = 0;

  async function analyse(group: Group, sample: BoundValue): Promise<void> {
    let lease: PooledConnection;
    try {
      lease = await pool.acquire(false);
    } catch {
      groups.delete(group.sql);
      return;
    }
    try {
      const verdict = await analyseLookup(lease.connection, group.sql, sample);
      // A failed look (the table a cache creates is not there yet) is asked again by a later request.
      if (verdict.kind === 'other' && verdict.failed === true) groups.delete(group.sql);
      else group.verdict = verdict;
    } finally {
      pool.release(lease);
    }
  }

  async function run(lease: PooledConnection, group: Group, batch: ReturnType<typeof takeBatch>): Promise<void> {
    const verdict = group.verdict as Extract<LookupVerdict, { kind: 'batch' }>;
    const size = BATCH_SIZES.find((s) => s >= batch.keys.length)!;
    const values = Array.from({ length: size }, (_, i) => batch.keys[Math.min(i, batch.keys.length - 1)]!);
    // Integer keys given as integers match in JavaScript exactly as in SQL; anything else by DuckDB's mask.
    const byKey = verdict.keyed !== undefined && batch.keys.every(isIntegerValue) ? keyIndex(batch.keys) : undefined;
    const guard = guardQuery(lease, timeoutMs);
    try {
      const statement = await lease.prepare((byKey !== undefined ? verdict.keyed! : verdict.sql).get(size)!, { readOnly: true });
      bindValues(statement, values);
      const result = await statement.run();
      guard.stop();
      if (result.rowCount > BATCH_ROW_GUARD) {
        for (const { waiting } of batch.taken) waiting.resolve(undefined);
        return;
      }
      const writer = jsonWriterFor(statement, result, bigint, 1);
      // Every row counts towards its key's total; only rows some request's window holds are written.
      const rows: string[][] = batch.keys.map(() => []);
      const counts = batch.keys.map(() => 0);
      const ends = batch.keys.map(() => 0);
      const starts = batch.keys.map(() => Number.POSITIVE_INFINITY);
      for (const { waiting, key } of batch.taken) {
        const { offset, limit } = waiting.window;
        starts[key] = Math.min(starts[key]!, offset);
        ends[key] = Math.max(ends[key]!, limit === undefined ? Number.POSITIVE_INFINITY : offset + limit);
      }
      /** The (key, position) pairs of the row at hand that a window holds. */
      const placed: number[] = [];
      const place = (key: number): void => {
        const at = counts[key]!++;
        if (at >= starts[key]! && at < ends[key]!) placed.push(key, at);
      };
      const keep = (text: string): void => {
        for (let i = 0; i < placed.length; i += 2) rows[placed[i]!]![placed[i + 1]!] = text;
      };
      const tagColumn = result.columnCount - 1;
      for (let i = 0; i < result.chunkCount; i++) {
        const chunk = result.getChunk(i);
        const tags = chunk.getColumnVector(tagColumn);
        writer.eachRowText(chunk, keep, (row) => {
          placed.length = 0;
          if (byKey !== undefined) {
            const key = byKey.get(String(tags.getItem(row)));
            if (key !== undefined) place(key);
          } else {
            let mask = Number(tags.getItem(row));
            // Bits past the real keys belong to the padding, which repeats the last key.
            for (let key = 0; mask !== 0 && key < rows.length; key++, mask = Math.floor(mask / 2)) if (mask % 2 === 1) place(key);
          }
          return placed.length > 0;
        });
      }
      batches++;
      requests += batch.taken.length;
      for (const { waiting, key } of batch.taken) {
        const all = rows[key]!;
        const { offset, limit } = waiting.window;
        const total = counts[key]!;
        if (!verdict.ordered && total > 1) {
          // Unordered rows of one key: the batch's scan order need not be the query's own.
          waiting.resolve(undefined);
          continue;
        }
        const mine = offset === 0 && (limit === undefined || total <= limit) ? all : all.slice(offset, limit === undefined ? total : Math.min(total, offset + limit));
        waiting.resolve({ text: `[${mine.join(',')}]`, rowCount: mine.length, total, batch: batch.taken.length });
      }
    } catch (err) {
      guard.stop();
      for (const { waiting } of batch.taken) {
        if (guard.timedOut) waiting.reject(err);
        else waiting.resolve(undefined);
      }
    } finally {
      pool.release(lease);
    }
  }

  function drainWith(group: Group, lease: PooledConnection): void {
    const batch = takeBatch(group.queue);
    // More than one batch's worth queued: the rest waits for the next connection.
    if (group.queue.length > 0) drain(group);
    if (batch.keys.length === 1) {
      // Nothing to share (identical requests already share through the response cache's
      // single flight): the plain query is cheaper, and a page of it counts its total once.
      // The connection goes with the first request, which would otherwise queue for it again.
      const [first, ...rest] = batch.taken;
      first!.waiting.resolve({ lease });
      for (const { waiting } of rest) waiting.resolve(undefined);
    } else if (batch.taken.length === 0) pool.release(lease);
    else void run(lease, group, batch);
  }

  function failQueue(group: Group, err: unknown): void {
    group.draining = false;
    for (const waiting of group.queue.splice(0)) waiting.reject(err);
  }

  function drain(group: Group): void {
    group.draining = true;
    let lease: Promise<PooledConnection> | PooledConnection;
    try {
      lease = pool.acquire();
    } catch (err) {
      // Deferred: the caller's promise is handed out before it can be rejected.
      queueMicrotask(() => failQueue(group, err));
      return;
    }
    if (!(lease instanceof Promise)) {
      group.draining = false;
      drainWith(group, lease);
      return;
    }
    lease.then((got) => {
      group.draining = false;
      drainWith(group, got);
    }, (err: unknown) => failQueue(group, err));
  }

  return {
    lookup(rendered, window) {
      if (rendered.values.length !== 1) return undefined;
      const value = rendered.values[0]!;
      let group = groups.get(rendered.sql);
      if (group === undefined) {
        if (groups.size >= MAX_SHAPES) return undefined;
        group = { sql: rendered.sql, verdict: undefined, queue: [], draining: false };
        groups.set(rendered.sql, group);
        // Plainly no lookup: settled here, without borrowing a connection to ask DuckDB.
        if (mayBeLookup(rendered.sql)) void analyse(group, value);
        else group.verdict = { kind: 'other', why: 'no `= $1` in it' };
        return undefined;
      }
      if (group.verdict?.kind !== 'batch') return undefined;
      const target = group;
      return new Promise<LookupOutcome>((resolve, reject) => {
        target.queue.push({ value, window, resolve, reject });
        // One drain at a time waits for a connection; whatever queues meanwhile goes with it.
        // (Holding arrivals back until a running batch ends left the other connections idle:
        // measured, batches on every free connection serve 2.5 times as many requests.)
        if (!target.draining) drain(target);
      });
    },
    verdict: (sql) => groups.get(sql)?.verdict,
    stats: () => ({ batches, requests }),
  };
}
