/**
 * The caches of one running app: recovers what a stopped process left, knows which
 * caches hold data (readiness), drives the refresh loop and reports status.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Logger } from '../app/logger.js';
import type { Database } from '../db/index.js';
import type { Manifest } from '../manifest.js';
import { cachedEndpoints, cacheTarget, type CacheTarget } from './cache-target.js';
import { auditRecords, collectGarbage } from './cache-audit.js';
import { cacheReport, type CacheReport } from './cache-status.js';
import type { PruneResult } from './retention.js';
import { recoverCaches } from './recover-caches.js';
import { cacheCatalogName } from '../db/cache-catalog.js';
import { RefreshLoop, type CacheState, type RetryPolicy } from './refresh-loop.js';
import { parseSchedule, type Schedule } from './schedule.js';
import { SnapshotStore, type SnapshotRecord } from './snapshot-store.js';
import { tableExists } from './write-modes.js';

export type CacheRefreshMode =
  /** Warm up at start, then follow each cache's schedule (a server). */
  | 'scheduled'
  /** Refresh only when asked (admin route, CLI). */
  | 'manual'
  /** Never write: a read-only database (an artifact) serves what it holds. */
  | 'off';

export interface CacheRuntimeOptions {
  logger: Logger;
  refresh?: CacheRefreshMode;
  env?: Readonly<Record<string, string | undefined>>;
  retry?: RetryPolicy;
  concurrency?: number;
}

export interface CacheRuntime {
  /** The database's own catalog name (`cache.catalog` unless a cache names another). */
  readonly catalog: string;
  readonly mode: CacheRefreshMode;
  /** True once every enabled cache holds data (persisted data counts). */
  readonly ready: boolean;
  /** Endpoints whose cache has no data yet. */
  pending(): string[];
  has(endpoint: string): boolean;
  refresh(endpoint: string, options?: { full?: boolean }): Promise<SnapshotRecord>;
  report(): Promise<CacheReport>;
  /** Refresh records, newest first: of one endpoint's cache, or of every cache when none is named. */
  audit(endpoint?: string, limit?: number): Promise<SnapshotRecord[]>;
  /** Applies one cache's retention now. */
  collectGarbage(endpoint: string): Promise<PruneResult>;
  /** Resolves once the cache's running refresh (if any) has finished, however it ended. */
  settled(endpoint: string): Promise<void>;
  /**
   * When the cache's data may next change (epoch ms): now while a refresh runs, else its
   * next scheduled refresh; undefined when none is scheduled (no schedule, or refreshes only on request).
   */
  nextChange(endpoint: string): number | undefined;
  close(): Promise<void>;
}

const recovered = new WeakSet<object>();

export async function startCacheRuntime(manifest: Manifest, database: Database, options: CacheRuntimeOptions): Promise<CacheRuntime> {
  const { logger } = options;
  const conn = await database.instance.connect();
  let mode = options.refresh ?? 'scheduled';
  const states = new Map<string, CacheState>();
  let catalog: string;
  try {
    catalog = await cacheCatalogName(conn, manifest.duckdb);
    const targets = cachedEndpoints(manifest).map((e) => cacheTarget(manifest, e, catalog));
    if (targets.length > 0 && mode !== 'off' && (database.readOnly || isReadOnly(manifest))) mode = 'off';
    const stores = new Map<string, SnapshotStore>();
    for (const target of targets) {
      if (!stores.has(target.catalog)) stores.set(target.catalog, new SnapshotStore(target.catalog));
    }
    // Once per instance: a second app on the same file (a reload) must not abort the first one's refresh.
    if (mode !== 'off' && !recovered.has(database.instance)) {
      recovered.add(database.instance);
      for (const store of stores.values()) {
        const recovery = await recoverCaches(conn, store, targets);
        for (const r of recovery.aborted) logger.warn('cache refresh interrupted by a stop; marked aborted', { endpoint: r.endpoint, snapshot: r.id });
        if (recovery.droppedTables.length > 0) logger.info('dropped unpublished cache tables', { tables: recovery.droppedTables });
      }
    }
    for (const target of targets) {
      states.set(target.endpoint, await initialState(conn, stores.get(target.catalog)!, target, logger));
    }
  } finally {
    conn.closeSync();
  }

  const loop = new RefreshLoop(states, {
    database, manifest, logger, scheduled: mode === 'scheduled',
    ...(options.env ? { env: options.env } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
  loop.start();

  return {
    catalog,
    mode,
    get ready() {
      for (const state of states.values()) if (!state.hasData) return false;
      return true;
    },
    pending: () => [...states.values()].filter((s) => !s.hasData).map((s) => s.target.endpoint),
    has: (endpoint) => states.has(endpoint),
    refresh(endpoint, refreshOptions) {
      if (mode === 'off') return Promise.reject(new Error('caches cannot be refreshed: the database is read-only'));
      return loop.refresh(endpoint, refreshOptions);
    },
    report: () => cacheReport(database, states, mode),
    audit: (endpoint, limit = 100) => auditRecords(database, states, endpoint, limit),
    collectGarbage(endpoint) {
      const state = states.get(endpoint);
      if (state === undefined) return Promise.reject(new Error(`no cache for endpoint \`${endpoint}\``));
      if (mode === 'off') return Promise.reject(new Error('caches cannot be changed: the database is read-only'));
      return collectGarbage(database, state);
    },
    settled: async (endpoint) => {
      await states.get(endpoint)?.running?.promise.catch(() => undefined);
    },
    nextChange(endpoint) {
      const state = states.get(endpoint);
      if (state === undefined) return undefined;
      if (state.running !== undefined) return Date.now();
      return state.nextAt?.getTime();
    },
    close: () => loop.close(),
  };
}

async function initialState(conn: DuckDBConnection, store: SnapshotStore, target: CacheTarget, logger: Logger): Promise<CacheState> {
  let schedule: Schedule | undefined;
  if (target.spec.schedule) {
    try {
      schedule = parseSchedule(target.spec.schedule);
    } catch (err) {
      logger.error('cache schedule ignored', { endpoint: target.endpoint, error: (err as Error).message });
    }
  }
  let current: SnapshotRecord | undefined;
  let lastAttempt: SnapshotRecord | undefined;
  try {
    current = await store.current(conn, target.endpoint, target.name);
    lastAttempt = (await store.history(conn, target.endpoint, target.name, 1))[0];
  } catch {
    // No snapshot table (a database baked elsewhere or never refreshed): judge by the table alone.
  }
  const hasData = current?.physicalTable !== undefined
    ? await tableExists(conn, target.catalog, target.schema, current.physicalTable)
    : await relationExists(conn, target);
  return {
    target, schedule, current, hasData, lastAttempt,
    lastError: lastAttempt && lastAttempt.status !== 'succeeded' ? lastAttempt.error : undefined,
    failures: 0, running: undefined, nextAt: undefined, timer: undefined,
  };
}

async function relationExists(conn: DuckDBConnection, target: CacheTarget): Promise<boolean> {
  const reader = await conn.runAndReadAll(
    'SELECT 1 FROM information_schema.tables WHERE table_catalog = $1 AND table_schema = $2 AND table_name = $3',
    [target.catalog, target.schema, target.table]);
  return reader.getRows().length > 0;
}

function isReadOnly(manifest: Manifest): boolean {
  const access = manifest.duckdb.settings['access_mode'];
  return typeof access === 'string' && access.toUpperCase() === 'READ_ONLY';
}
