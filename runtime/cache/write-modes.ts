/**
 * The SQL each refresh mode runs inside the publishing transaction. The source relation
 * is read exactly once: it may be a pipe that can only be read once.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CacheSpec } from '../manifest.js';
import { qualified, quoteIdent } from './sql-names.js';

export interface WriteTarget {
  catalog: string;
  schema: string;
  /** Physical table written or changed. */
  physical: string;
  spec: CacheSpec;
}

/** `SELECT * FROM relation`, keeping one row per primary key (the newest by cursor) in merge mode. */
function sourceRows(relation: string, spec: CacheSpec): string {
  if (spec.mode !== 'merge' || spec.primaryKey.length === 0) return `SELECT * FROM ${relation} AS _flapi_rows`;
  const keys = spec.primaryKey.map(quoteIdent).join(', ');
  const order = spec.cursor ? ` ORDER BY ${quoteIdent(spec.cursor.column)} DESC NULLS LAST` : '';
  return `SELECT * FROM ${relation} AS _flapi_rows QUALIFY row_number() OVER (PARTITION BY ${keys}${order}) = 1`;
}

/** A new physical table holding every row: full refreshes and the first load of incremental ones. */
export async function writeNewVersion(conn: DuckDBConnection, target: WriteTarget, relation: string): Promise<void> {
  await conn.run(`CREATE TABLE ${qualified(target.catalog, target.schema, target.physical)} AS ${sourceRows(relation, target.spec)}`);
}

/** Rows past the high-water mark, added to the current table. Columns match by name. */
export async function writeAppend(conn: DuckDBConnection, target: WriteTarget, relation: string): Promise<number> {
  const result = await conn.run(`INSERT INTO ${qualified(target.catalog, target.schema, target.physical)} BY NAME ${sourceRows(relation, target.spec)}`);
  return Number(result.rowsChanged);
}

/** Changed rows replace the row of the same key; new keys are inserted. */
export async function writeMerge(conn: DuckDBConnection, target: WriteTarget, relation: string): Promise<number> {
  const table = qualified(target.catalog, target.schema, target.physical);
  const columns = await tableColumns(conn, target);
  const keys = target.spec.primaryKey;
  const missing = keys.filter((k) => !columns.includes(k));
  if (missing.length > 0) throw new Error(`primary-key column(s) ${missing.join(', ')} are not columns of the cache table`);
  const on = keys.map((k) => `_flapi_target.${quoteIdent(k)} = _flapi_source.${quoteIdent(k)}`).join(' AND ');
  const updates = columns.filter((c) => !keys.includes(c)).map((c) => `${quoteIdent(c)} = _flapi_source.${quoteIdent(c)}`);
  const matched = updates.length > 0 ? `WHEN MATCHED THEN UPDATE SET ${updates.join(', ')}` : 'WHEN MATCHED THEN DO NOTHING';
  const insert = `WHEN NOT MATCHED THEN INSERT (${columns.map(quoteIdent).join(', ')}) VALUES (${columns.map((c) => `_flapi_source.${quoteIdent(c)}`).join(', ')})`;
  const result = await conn.run(`MERGE INTO ${table} AS _flapi_target USING (${sourceRows(relation, target.spec)}) AS _flapi_source ON (${on}) ${matched} ${insert}`);
  return Number(result.rowsChanged);
}

export async function rowCount(conn: DuckDBConnection, target: WriteTarget): Promise<number> {
  const reader = await conn.runAndReadAll(`SELECT count(*) FROM ${qualified(target.catalog, target.schema, target.physical)}`);
  return Number(reader.getRows()[0]![0]);
}

/** The largest cursor value, as text that reads back as the same value in DuckDB and PostgreSQL. */
export async function highWaterMark(conn: DuckDBConnection, target: WriteTarget): Promise<string | undefined> {
  const cursor = target.spec.cursor?.column;
  if (!cursor) return undefined;
  const reader = await conn.runAndReadAll(`SELECT CAST(max(${quoteIdent(cursor)}) AS VARCHAR) FROM ${qualified(target.catalog, target.schema, target.physical)}`);
  const value = reader.getRows()[0]![0];
  return value === null || value === undefined ? undefined : String(value);
}

/**
 * Points the cache's name at a physical table. The view names its table alone: DuckDB
 * binds it in the view's own catalog and schema, so it holds when the file is opened
 * under another name (an artifact), and it is never ambiguous the way `schema.table` is
 * when a catalog has the schema's name (`schema: cache` in `cache.duckdb`).
 */
export async function publish(conn: DuckDBConnection, target: WriteTarget, table: string): Promise<void> {
  const name = qualified(target.catalog, target.schema, table);
  const existing = await conn.runAndReadAll(
    'SELECT table_type FROM information_schema.tables WHERE table_catalog = $1 AND table_schema = $2 AND table_name = $3',
    [target.catalog, target.schema, table]);
  // A plain table of the cache's name (an older layout, or a fixture) gives way to the view.
  if (existing.getRows()[0]?.[0] === 'BASE TABLE') await conn.run(`DROP TABLE ${name}`);
  await conn.run(`CREATE OR REPLACE VIEW ${name} AS SELECT * FROM ${quoteIdent(target.physical)}`);
}

export async function tableExists(conn: DuckDBConnection, catalog: string, schema: string, table: string): Promise<boolean> {
  const reader = await conn.runAndReadAll(
    "SELECT 1 FROM information_schema.tables WHERE table_catalog = $1 AND table_schema = $2 AND table_name = $3 AND table_type = 'BASE TABLE'",
    [catalog, schema, table]);
  return reader.getRows().length > 0;
}

async function tableColumns(conn: DuckDBConnection, target: WriteTarget): Promise<string[]> {
  const reader = await conn.runAndReadAll(
    'SELECT column_name FROM information_schema.columns WHERE table_catalog = $1 AND table_schema = $2 AND table_name = $3 ORDER BY ordinal_position',
    [target.catalog, target.schema, target.physical]);
  return reader.getRows().map((r) => String(r[0]));
}
