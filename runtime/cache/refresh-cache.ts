/**
 * One refresh of one endpoint's cache (used by the refresh loop, the admin route and
 * `flapi bake`). The cache template is rendered with the `cache.*` context, its rows
 * are read from the source and written with the cache's mode; the new data, the view
 * swap and the snapshot record are committed in one DuckDB transaction, so a reader sees
 * the old data or the new, never a mix, and a failure (or a crash) publishes nothing.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Database } from '../db/index.js';
import { whitelistedEnv } from '../db/index.js';
import { cacheCatalogName } from '../db/cache-catalog.js';
import type { EndpointSpec, Manifest } from '../manifest.js';
import { compileTemplate, renderTemplate } from '../template/index.js';
import type { CacheSource } from './cache-source.js';
import { cacheTarget, staticCacheContext, type CacheTarget } from './cache-target.js';
import { duckdbSource } from './duckdb-source.js';
import { applyRetention } from './retention.js';
import { SnapshotStore, type RefreshMode, type RefreshTrigger, type SnapshotRecord } from './snapshot-store.js';
import { quoteIdent, versionTableName } from './sql-names.js';
import { runSelfWritingTemplate, writesItself } from './self-writing-template.js';
import { highWaterMark, publish, rowCount, tableExists, writeAppend, writeMerge, writeNewVersion, type WriteTarget } from './write-modes.js';
import { indexKey } from './key-index.js';
import { redactText } from '../security/log-redaction.js';
import { importOptional } from '../optional-package.js';

export interface RefreshOptions {
  /** Rebuild an append or merge cache from scratch instead of adding to it. */
  full?: boolean;
  trigger?: RefreshTrigger;
  /** Environment for whitelisted `env.*` (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Stops the transfer; the refresh is then recorded as aborted. */
  signal?: AbortSignal;
}

export class RefreshInProgressError extends Error {
  constructor(endpoint: string) {
    super(`a refresh of ${endpoint}'s cache is already running`);
    this.name = 'RefreshInProgressError';
  }
}

/** A refresh that failed; its snapshot record (status failed/aborted) says why. */
export class RefreshFailedError extends Error {
  constructor(message: string, readonly snapshot: SnapshotRecord | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RefreshFailedError';
  }
}

/**
 * Caches being refreshed, per DuckDB instance (apps of one process share the instance of
 * a file), so one cache never runs two refreshes at once.
 */
const running = new WeakMap<object, Set<string>>();

export async function refreshCache(database: Database, manifest: Manifest, endpoint: EndpointSpec | string, options: RefreshOptions = {}): Promise<SnapshotRecord> {
  const spec = typeof endpoint === 'string' ? manifest.endpoints.find((e) => e.name === endpoint) : endpoint;
  if (spec?.cache === undefined || spec.cache.template === undefined) {
    throw new Error(`endpoint ${typeof endpoint === 'string' ? endpoint : endpoint.name} has no cache with a template-file`);
  }
  const busy = running.get(database.instance) ?? new Set<string>();
  running.set(database.instance, busy);
  if (busy.has(spec.name)) throw new RefreshInProgressError(spec.name);
  busy.add(spec.name);
  const conn = await database.instance.connect();
  // Stopping (a shutdown) must not wait for a long DuckDB query to run its course.
  const interrupt = () => conn.interrupt();
  options.signal?.addEventListener('abort', interrupt, { once: true });
  try {
    const catalog = await cacheCatalogName(conn, manifest.duckdb);
    const target = cacheTarget(manifest, spec, catalog);
    return await runRefresh(conn, target, manifest, options, database);
  } finally {
    options.signal?.removeEventListener('abort', interrupt);
    busy.delete(spec.name);
    conn.closeSync();
  }
}

export async function currentCatalog(conn: DuckDBConnection): Promise<string> {
  const reader = await conn.runAndReadAll('SELECT current_database()');
  return String(reader.getRows()[0]![0]);
}

async function runRefresh(conn: DuckDBConnection, target: CacheTarget, manifest: Manifest, options: RefreshOptions, database: Database): Promise<SnapshotRecord> {
  const store = new SnapshotStore(target.catalog);
  await store.ensure(conn);
  await conn.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(target.catalog)}.${quoteIdent(target.schema)}`);
  const previous = await store.current(conn, target.endpoint, target.name);
  const previousTable = previous?.physicalTable !== undefined && (await tableExists(conn, target.catalog, target.schema, previous.physicalTable))
    ? previous.physicalTable
    : undefined;
  // Append and merge add to the table being served; without one (or when asked) they load everything.
  const incremental = target.spec.mode !== 'full' && previousTable !== undefined && options.full !== true;
  const mode: RefreshMode = incremental ? target.spec.mode : 'full';
  const id = await store.begin(conn, { endpoint: target.endpoint, cacheTable: target.name, mode, trigger: options.trigger ?? 'manual' });

  let failure: unknown;
  try {
    const physical = incremental ? previousTable! : versionTableName(target.table, id);
    const render = (table?: string) => renderCacheTemplate(target, manifest, id, incremental ? previous : undefined, previous, options, table);
    let sql = render();
    const selfWriting = target.source === undefined && writesItself(sql);
    // A template writing its own table writes this refresh's physical table; the view name stays the cache's.
    if (selfWriting) sql = render(physical);
    const source = await sourceOf(target, options.env ?? process.env);
    const write: WriteTarget = { catalog: target.catalog, schema: target.schema, physical, spec: target.spec };
    // Every mode publishes its table with the key's index (key-index.ts).
    const publishIndexed = async () => {
      await indexKey(conn, write, selfWriting);
      await publish(conn, write, target.table);
    };
    const relation = selfWriting ? { sql: '', done: Promise.resolve(), close: async () => undefined } : await source.open(sql, options.signal);
    try {
      await conn.run('BEGIN TRANSACTION');
      try {
        let written: number;
        if (selfWriting) {
          written = await runSelfWritingTemplate(conn, write, sql);
          await publishIndexed();
        } else if (!incremental) {
          await writeNewVersion(conn, write, relation.sql);
          await relation.done;
          written = await rowCount(conn, write);
          await publishIndexed();
        } else {
          written = mode === 'append' ? await writeAppend(conn, write, relation.sql) : await writeMerge(conn, write, relation.sql);
          await relation.done;
          // Re-creating the view makes every prepared statement reading it re-plan. DuckDB
          // 1.5 statements with ORDER BY prepared before rows changed under them can read
          // corrupt strings (or crash) when run again without that.
          await publishIndexed();
        }
        await store.succeed(conn, id, {
          physicalTable: physical,
          rowsWritten: written,
          rowCount: incremental ? await rowCount(conn, write) : written,
          // A self-writing template need not write the cursor column (flAPI reads none back).
          highWaterMark: (await highWaterMark(conn, write).catch((err: unknown) => {
            if (selfWriting) return undefined;
            throw err;
          })) ?? previous?.highWaterMark,
        });
        // The data version moves on both sides of the commit (an incremental refresh that
        // found nothing keeps it): anything cached while the commit lands, from either
        // version, is dropped with the second move.
        const changed = !incremental || written > 0;
        if (changed) database.markDataChanged();
        await conn.run('COMMIT');
        if (changed) database.markDataChanged();
      } catch (err) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      await relation.close();
    }
  } catch (err) {
    failure = err;
  }

  if (failure !== undefined) {
    const message = describeError(failure);
    const aborted = options.signal?.aborted === true;
    await store.fail(conn, id, message, aborted ? 'aborted' : 'failed').catch(() => undefined);
    const records = await store.history(conn, target.endpoint, target.name, 1).catch(() => []);
    throw new RefreshFailedError(`refresh of ${target.endpoint}'s cache ${aborted ? 'was aborted' : 'failed'}: ${message}`, records[0], { cause: failure });
  }
  // Retention is housekeeping: it never turns a published refresh into a failure.
  await applyRetention(conn, store, target).catch(() => undefined);
  const [record] = await store.history(conn, target.endpoint, target.name, 1);
  return record!;
}

function renderCacheTemplate(
  target: CacheTarget, manifest: Manifest, snapshotId: number,
  incrementalFrom: SnapshotRecord | undefined, previous: SnapshotRecord | undefined, options: RefreshOptions, table?: string,
): string {
  const cache: Record<string, unknown> = {
    ...staticCacheContext(target.spec, target.catalog),
    ...(table !== undefined ? { table } : {}),
    snapshotId,
    // Empty on a first or full load, so `{{#cache.previousSnapshotTimestamp}} WHERE ... {{/...}}` reads everything.
    previousSnapshotTimestamp: target.spec.cursor
      ? incrementalFrom?.highWaterMark
      : previous?.finishedAt?.toISOString(),
    highWaterMark: incrementalFrom?.highWaterMark,
    previousSnapshotId: previous?.id,
  };
  const env = whitelistedEnv(manifest.environmentWhitelist, options.env);
  const rendered = renderTemplate(compileTemplate(target.spec.template!.sql), { params: {}, conn: target.conn, env, cache });
  if (rendered.values.length > 0) {
    throw new Error('the cache template uses request values (params.* or auth.*), which a refresh does not have');
  }
  return rendered.sql;
}

async function sourceOf(target: CacheTarget, env: Readonly<Record<string, string | undefined>>): Promise<CacheSource> {
  if (target.source === undefined) return duckdbSource;
  if (target.source.type === 'postgres' || target.source.type === 'postgresql') {
    // pg loads with the first PostgreSQL refresh: servers without one start without it.
    const { postgresSource } = await importOptional(() => import('./postgres-source.js'), 'pg', 'PostgreSQL cache sources');
    return postgresSource(target.source, env);
  }
  throw new Error(`connection \`${target.source.name}\` has type \`${target.source.type}\`, which flapi cannot refresh from; use postgres, or DuckDB SQL (no type)`);
}

/** The first line of an error, without credentials a driver may have echoed (URL passwords, `password=` pairs, tokens). */
export function describeError(err: unknown): string {
  // Connecting to `localhost` may fail on every address at once: an AggregateError without a message.
  const inner = err instanceof AggregateError && err.message === '' ? err.errors[0] : undefined;
  if (inner !== undefined) return describeError(inner);
  const text = err instanceof Error ? err.message : String(err);
  const first = text.split('\n').find((l) => l.trim() !== '') ?? text;
  const code = (err as { code?: unknown }).code;
  const withCode = typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) && !first.includes(code) ? `${first} (${code})` : first;
  return redactText(withCode);
}
