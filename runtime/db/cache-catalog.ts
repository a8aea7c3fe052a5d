/**
 * The catalog caches live in. DuckDB names a database after its file (up to the first
 * dot), so a baked or downloaded file is named here after the catalog the project's
 * templates know (`{{cache.catalog}}`): the name stays the same in dev, in a built
 * server, while baking and when serving an artifact. flAPI's `ducklake.alias` names it
 * when set; a database of that name is attached when the main one has another name.
 */
import { basename, dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DuckDBSettings } from '../manifest.js';

/** The catalog name a database file must have: `ducklake.alias`, else the stem of `db_path`, else DuckDB's `memory`. */
export function catalogStem(duckdb: DuckDBSettings): string {
  if (duckdb.cacheCatalog !== undefined) return duckdb.cacheCatalog.alias;
  if (duckdb.dbPath === undefined) return 'memory';
  const stem = basename(duckdb.dbPath.replace(/[?#].*$/, '')).split('.')[0] ?? '';
  return stem === '' ? 'memory' : stem;
}

/** A file named so DuckDB gives it the project's catalog name: `<folder>/<stem>.duckdb`. */
export function catalogFile(folder: string, duckdb: DuckDBSettings): string {
  return join(folder, `${catalogStem(duckdb)}.duckdb`);
}

/** Where an alias database lives when the project does not say: beside db_path, else in memory. */
export function defaultAliasPath(dbPath: string | undefined, alias: string): string | undefined {
  if (dbPath === undefined || /^[a-z][a-z0-9+.-]*:\/\//i.test(dbPath)) return undefined;
  return join(dirname(dbPath), `${alias}.duckdb`);
}

export async function currentDatabase(conn: DuckDBConnection): Promise<string> {
  const reader = await conn.runAndReadAll('SELECT current_database()');
  return String(reader.getRows()[0]![0]);
}

/** The catalog caches default to: the alias when there is one, else the database opened. */
export async function cacheCatalogName(conn: DuckDBConnection, duckdb: DuckDBSettings): Promise<string> {
  return duckdb.cacheCatalog?.alias ?? currentDatabase(conn);
}

/** Attaches the alias database (once per instance) unless the main database already carries the name. */
export async function attachCacheCatalog(conn: DuckDBConnection, duckdb: DuckDBSettings): Promise<void> {
  const spec = duckdb.cacheCatalog;
  if (spec === undefined || (await currentDatabase(conn)) === spec.alias) return;
  const file = spec.path ?? defaultAliasPath(duckdb.dbPath, spec.alias) ?? ':memory:';
  try {
    await conn.run(`ATTACH IF NOT EXISTS '${file.replace(/'/g, "''")}' AS "${spec.alias.replace(/"/g, '""')}"`);
  } catch (err) {
    throw new Error(`cannot open the cache catalog \`${spec.alias}\` at ${file} (ducklake.alias / metadata-path): ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
}
