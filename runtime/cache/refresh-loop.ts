/**
 * Runs refreshes: at start for caches without data (or overdue), then on each cache's
 * schedule, one refresh per cache at a time and a few caches at once. A failure keeps the
 * last good data serving and retries with exponential backoff, never later than the next
 * scheduled run.
 */
import type { Logger } from '../app/logger.js';
import type { Database } from '../db/index.js';
import type { Manifest } from '../manifest.js';
import type { CacheTarget } from './cache-target.js';
import { describeError, RefreshFailedError, RefreshInProgressError, refreshCache } from './refresh-cache.js';
import { nextRefreshAt, type Schedule } from './next-refresh.js';
import type { RefreshTrigger, SnapshotRecord } from './snapshot-store.js';

export interface RetryPolicy {
  /** Delay after the first failure. */
  baseMs: number;
  /** Longest delay between retries. */
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1000, maxMs: 5 * 60_000 };

export interface CacheState {
  readonly target: CacheTarget;
  readonly schedule: Schedule | undefined;
  /** The refresh being served (newest success). */
  current: SnapshotRecord | undefined;
  hasData: boolean;
  /** Newest refresh that finished, whatever its outcome. */
  lastAttempt: SnapshotRecord | undefined;
  lastError: string | undefined;
  failures: number;
  running: { since: Date; trigger: RefreshTrigger; promise: Promise<SnapshotRecord>; abort: AbortController } | undefined;
  nextAt: Date | undefined;
  timer: NodeJS.Timeout | undefined;
}

export interface RefreshLoopOptions {
  database: Database;
  manifest: Manifest;
  logger: Logger;
  env?: Readonly<Record<string, string | undefined>>;
  retry?: RetryPolicy;
  /** Caches refreshed at the same time (default 2). */
  concurrency?: number;
  /** Timers run (warm-up, schedules, retries); false = only refreshes asked for. */
  scheduled: boolean;
}

/** setTimeout cannot wait longer than about 24.8 days. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class RefreshLoop {
  private closed = false;
  private active = 0;
  private readonly queue: Array<() => void> = [];
  private readonly retry: RetryPolicy;
  private readonly concurrency: number;

  constructor(readonly states: ReadonlyMap<string, CacheState>, private readonly options: RefreshLoopOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.concurrency = Math.max(1, options.concurrency ?? 2);
  }

  /** Warm-up: caches without data refresh now; the others when their schedule says. */
  start(now: Date = new Date()): void {
    if (!this.options.scheduled) return;
    for (const state of this.states.values()) {
      if (!state.hasData) this.arm(state, now, 'startup');
      else if (state.schedule && state.current?.finishedAt) this.arm(state, nextRefreshAt(state.schedule, state.current.finishedAt, now), 'startup');
    }
  }

  /** A refresh asked for (admin route, CLI); rejects with RefreshInProgressError when one runs. */
  refresh(endpoint: string, options: { full?: boolean } = {}): Promise<SnapshotRecord> {
    const state = this.states.get(endpoint);
    if (state === undefined) return Promise.reject(new Error(`no cache for endpoint ${endpoint}`));
    if (state.running) return Promise.reject(new RefreshInProgressError(endpoint));
    return this.run(state, 'manual', options.full === true);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const state of this.states.values()) {
      if (state.timer) clearTimeout(state.timer);
      state.timer = undefined;
      state.nextAt = undefined;
      state.running?.abort.abort();
    }
    for (const waiter of this.queue.splice(0)) waiter();
    await Promise.all([...this.states.values()].map((s) => s.running?.promise.catch(() => undefined)));
  }

  private arm(state: CacheState, at: Date, trigger: RefreshTrigger): void {
    if (this.closed) return;
    if (state.timer) clearTimeout(state.timer);
    state.nextAt = at;
    const delay = Math.max(0, at.getTime() - Date.now());
    state.timer = setTimeout(() => {
      state.timer = undefined;
      if (delay > MAX_TIMER_MS) return this.arm(state, at, trigger);
      if (state.running) return;
      this.run(state, trigger, false).catch(() => undefined);
    }, Math.min(delay, MAX_TIMER_MS));
    state.timer.unref();
  }

  private run(state: CacheState, trigger: RefreshTrigger, full: boolean): Promise<SnapshotRecord> {
    if (this.closed) return Promise.reject(new Error('the server is shutting down'));
    const abort = new AbortController();
    const promise = this.runGated(state, trigger, full, abort.signal);
    state.running = { since: new Date(), trigger, promise, abort };
    if (state.timer) clearTimeout(state.timer);
    state.timer = undefined;
    state.nextAt = undefined;
    // Registered before the caller's own await, so a caller that awaits the refresh sees it finished.
    promise.then(
      (record) => {
        state.running = undefined;
        this.succeeded(state, record);
      },
      (err: unknown) => {
        state.running = undefined;
        this.failed(state, err);
      },
    );
    return promise;
  }

  private async runGated(state: CacheState, trigger: RefreshTrigger, full: boolean, signal: AbortSignal): Promise<SnapshotRecord> {
    await this.acquire();
    try {
      if (this.closed) throw new Error('the server is shutting down');
      const { database, manifest, env } = this.options;
      const endpoint = manifest.endpoints.find((e) => e.name === state.target.endpoint)!;
      return await refreshCache(database, manifest, endpoint, { trigger, full, signal, ...(env ? { env } : {}) });
    } finally {
      this.release();
    }
  }

  private succeeded(state: CacheState, record: SnapshotRecord): void {
    state.current = record;
    state.lastAttempt = record;
    state.hasData = true;
    state.failures = 0;
    state.lastError = undefined;
    this.options.logger.info('cache refreshed', {
      endpoint: state.target.endpoint, table: state.target.name, snapshot: record.id, mode: record.mode,
      rows_written: record.rowsWritten, rows: record.rowCount,
      ms: record.finishedAt ? record.finishedAt.getTime() - record.startedAt.getTime() : undefined,
    });
    if (this.options.scheduled && state.schedule) this.arm(state, nextRefreshAt(state.schedule, record.finishedAt ?? new Date()), 'schedule');
  }

  private failed(state: CacheState, err: unknown): void {
    if (this.closed) return;
    if (err instanceof RefreshInProgressError) {
      // Another app on the same database (the version a reload replaces) is refreshing this cache.
      if (this.options.scheduled) this.arm(state, new Date(Date.now() + this.retry.baseMs), 'retry');
      return;
    }
    state.failures++;
    state.lastError = describeError(err);
    if (err instanceof RefreshFailedError && err.snapshot) state.lastAttempt = err.snapshot;
    const retryIn = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** Math.min(state.failures - 1, 30));
    const retryAt = new Date(Date.now() + retryIn);
    this.options.logger.warn('cache refresh failed; the last good data keeps serving', {
      endpoint: state.target.endpoint, table: state.target.name, error: state.lastError, failures: state.failures,
      retry_at: this.options.scheduled && (state.schedule || !state.hasData) ? retryAt.toISOString() : undefined,
    });
    if (!this.options.scheduled || (!state.schedule && state.hasData)) return;
    const scheduled = state.schedule && state.current?.finishedAt ? nextRefreshAt(state.schedule, new Date()) : undefined;
    this.arm(state, scheduled && scheduled < retryAt ? scheduled : retryAt, 'retry');
  }

  private acquire(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(() => {
      this.active++;
      resolve();
    }));
  }

  private release(): void {
    this.active--;
    this.queue.shift()?.();
  }
}
