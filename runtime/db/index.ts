export { openDatabase, type Database, type OpenDatabaseOptions, type PrepareFn, type QueryResult } from './open-database.js';
export { bindValues, parameterTypesOf } from './bind-values.js';
export { ConnectionPool, DEFAULT_POOL_WAIT_MS, PoolBusyError, PoolClosedError, type PooledConnection, pooledConnection } from './connection-pool.js';
export { StatementCache, NotAReadError } from './statement-cache.js';
export { renderInit } from './render-init.js';
export { whitelistedEnv } from './whitelisted-env.js';
export { catalogStem, catalogFile, cacheCatalogName, currentDatabase } from './cache-catalog.js';
