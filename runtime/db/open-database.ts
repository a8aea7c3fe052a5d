/**
 * Opens the one DuckDB instance a server uses and its pool of connections. Connection
 * `init` SQL runs once here (it sets up views, attachments and extensions for the whole
 * instance), never per request, followed by the indexes connections declare; then the
 * instance is locked down (lock-down.ts).
 */
import { availableParallelism } from 'node:os';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Manifest } from '../manifest.js';
import type { BoundValue } from '../template/index.js';
import { bindValues } from './bind-values.js';
import { attachCacheCatalog } from './cache-catalog.js';
import { createDeclaredIndexes } from './declared-indexes.js';
import { ConnectionPool, pooledConnection, type PooledConnection, type PrepareFn } from './connection-pool.js';
import { isLocked, lockDown } from './lock-down.js';
import { renderInit } from './render-init.js';
import { acquireInstance } from './shared-instance.js';
import { whitelistedEnv } from './whitelisted-env.js';

export type { PrepareFn };

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
}

export interface Database {
  readonly instance: DuckDBInstance;
  readonly pool: ConnectionPool;
  /** Opened with access_mode=READ_ONLY (a baked artifact): nothing may write to it. */
  readonly readOnly: boolean;
  /** Changes whenever the served data changes; response caches key on it. */
  readonly dataVersion: number;
  markDataChanged(): void;
  withConnection<T>(fn: (conn: DuckDBConnection, prepare: PrepareFn) => Promise<T>): Promise<T>;
  query(sql: string, values?: readonly BoundValue[]): Promise<QueryResult>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Connections in the pool; default `server.poolSize`, or the number of cores when that is 0. */
  poolSize?: number;
  /** Prepared statements kept per connection. */
  statementCacheSize?: number;
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Open the file read-only and skip connection `init` and declared indexes: a baked
   * artifact already holds what they made, and their CREATE statements would fail on a
   * read-only database.
   */
  readOnly?: boolean;
}

function instanceOptions(manifest: Manifest, readOnly: boolean): Record<string, string> {
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries(manifest.duckdb.settings)) options[key] = String(value);
  if (readOnly) options['access_mode'] = 'READ_ONLY';
  // Never fetch extensions over the network behind a user's back.
  options['autoinstall_known_extensions'] ??= 'false';
  return options;
}

/**
 * A file already open in this process (a `flapi dev` reload) shares its instance, which
 * an earlier open locked down: init then runs statement by statement, and settings the
 * lock refuses are skipped (they were applied by the first open of the same instance).
 */
async function runLocked(connection: DuckDBConnection, sql: string): Promise<void> {
  const statements = await connection.extractStatements(sql);
  for (let i = 0; i < statements.count; i++) {
    try {
      await (await statements.prepare(i)).run();
    } catch (err) {
      if (!/the configuration has been locked/.test((err as Error).message)) throw err;
    }
  }
}

async function runInit(manifest: Manifest, connection: DuckDBConnection, env: Record<string, string>): Promise<void> {
  const locked = isLocked(await connection.runAndReadAll("SELECT current_setting('lock_configuration')"));
  for (const spec of Object.values(manifest.connections)) {
    if (spec.init === undefined || spec.init.trim() === '') continue;
    const sql = renderInit(spec.init, spec.properties, env);
    try {
      await (locked ? runLocked(connection, sql) : connection.run(sql));
    } catch (err) {
      throw new Error(`init of connection "${spec.name}" failed: ${(err as Error).message}`, { cause: err });
    }
  }
}

export async function openDatabase(manifest: Manifest, options: OpenDatabaseOptions = {}): Promise<Database> {
  const size = Math.max(1, options.poolSize ?? (manifest.server.poolSize || availableParallelism()));
  const cacheSize = Math.max(4, options.statementCacheSize ?? 256);
  const env = whitelistedEnv(manifest.environmentWhitelist, options.env);
  const readOnly = options.readOnly === true;
  const lease = await acquireInstance(manifest.duckdb.dbPath ?? ':memory:', instanceOptions(manifest, readOnly));
  const instance = lease.instance;
  const members: PooledConnection[] = [];
  let dataVersion = 1;
  const currentVersion = (): number => dataVersion;
  try {
    for (let i = 0; i < size; i++) {
      members.push(pooledConnection(await instance.connect(), cacheSize, currentVersion));
    }
    // Before init, so init SQL may create objects in the cache catalog too.
    if (!readOnly) await attachCacheCatalog(members[0]!.connection, manifest.duckdb);
    if (!readOnly) {
      await runInit(manifest, members[0]!.connection, env);
      await createDeclaredIndexes(members[0]!.connection, manifest);
    }
    // From here on no request can reach a file, URL or extension the project did not name.
    await lockDown(members[0]!.connection, manifest);
  } catch (err) {
    for (const m of members) m.connection.closeSync();
    lease.release();
    throw err;
  }
  const pool = new ConnectionPool(members, {
    ...(manifest.server.poolQueue !== undefined ? { maxWaiting: manifest.server.poolQueue } : {}),
    ...(manifest.server.poolWaitMs !== undefined ? { maxWaitMs: manifest.server.poolWaitMs } : {}),
  });
  let closing: Promise<void> | undefined;

  const withConnection = async <T>(fn: (conn: DuckDBConnection, prepare: PrepareFn) => Promise<T>): Promise<T> => {
    // The server's own work (cache refreshes, checks) is not refused when requests crowd the pool.
    const lease = await pool.acquire(false);
    try {
      return await fn(lease.connection, lease.prepare);
    } finally {
      pool.release(lease);
    }
  };

  return {
    instance,
    pool,
    readOnly,
    get dataVersion() {
      return dataVersion;
    },
    markDataChanged() {
      dataVersion++;
    },
    withConnection,
    query: (sql, values = []) =>
      withConnection(async (_conn, prepare) => {
        const statement = await prepare(sql);
        bindValues(statement, values);
        const reader = await statement.runAndReadAll();
        const columns = reader.columnNames().map((name, i) => ({ name, type: reader.columnType(i).toString() }));
        return { columns, rows: reader.getRowObjectsJS() as Record<string, unknown>[] };
      }),
    close() {
      closing ??= (async () => {
        await pool.drain();
        for (const m of members) {
          m.statements.clear();
          m.connection.closeSync();
        }
        lease.release();
      })();
      return closing;
    },
  };
}
