export { refreshCache, currentCatalog, describeError, RefreshFailedError, RefreshInProgressError, type RefreshOptions } from './refresh-cache.js';
export { startCacheRuntime, type CacheRuntime, type CacheRuntimeOptions, type CacheRefreshMode } from './cache-runtime.js';
export { registerCacheRoutes } from './cache-routes.js';
export { cacheReport, snapshotJson, type CacheReport, type CacheStatusJson, type SnapshotJson } from './cache-status.js';
export { cachedEndpoints, cacheTarget, staticCacheContext, type CacheTarget } from './cache-target.js';
export { nextRefreshAt, type Schedule } from './next-refresh.js';
export { parseDuration, formatDuration } from './parse-duration.js';
export { SnapshotStore, SNAPSHOT_SCHEMA, type SnapshotRecord, type SnapshotStatus, type RefreshMode, type RefreshTrigger } from './snapshot-store.js';
export { planRetention, DEFAULT_KEEP_TABLES, type PrunePlan } from './retention.js';
export { columnTransfer, type PgField, type ColumnTransfer } from './postgres-types.js';
export { DEFAULT_RETRY, type RetryPolicy } from './refresh-loop.js';
// describePostgres (./postgres-describe.js) is imported by the compiler directly: pg loads only where PostgreSQL is used.
// So is parseSchedule (./schedule.js): croner loads only where a cache has a schedule.
