/**
 * What a baked file holds: every base table of the artifact's catalog with its row count,
 * and the views (which are stored as definitions and read their sources when queried,
 * so a view over a local file will not work on another machine).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { METADATA_TABLE, TABLES_TABLE, type BakedTable } from '../../runtime/artifact/index.js';

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function bakedTables(connection: DuckDBConnection, origins: ReadonlyMap<string, string>): Promise<BakedTable[]> {
  const reader = await connection.runAndReadAll(
    `SELECT schema_name, table_name, database_name FROM duckdb_tables()
     WHERE database_name = current_database() AND NOT temporary AND table_name NOT IN ('${METADATA_TABLE}', '${TABLES_TABLE}')
     ORDER BY schema_name, table_name`);
  const tables: BakedTable[] = [];
  for (const [schema, name, catalog] of reader.getRows().map((r) => [String(r[0]), String(r[1]), String(r[2])] as const)) {
    // With the catalog: `schema.table` is ambiguous when a schema has the catalog's name (`cache` in cache.duckdb).
    const count = await connection.runAndReadAll(`SELECT count(*) FROM ${ident(catalog)}.${ident(schema)}.${ident(name)}`);
    tables.push({ schema, name, rows: Number(count.getRows()[0]?.[0] ?? 0), origin: origins.get(`${schema}.${name}`) ?? 'init' });
  }
  return tables;
}

export interface BakedView {
  schema: string;
  name: string;
  /** Files the view reads by path, which must exist wherever the artifact is served. */
  readsFiles: boolean;
}

export async function bakedViews(connection: DuckDBConnection): Promise<BakedView[]> {
  const reader = await connection.runAndReadAll(
    `SELECT schema_name, view_name, sql FROM duckdb_views()
     WHERE database_name = current_database() AND NOT internal AND NOT temporary ORDER BY schema_name, view_name`);
  return reader.getRows().map((r) => ({
    schema: String(r[0]),
    name: String(r[1]),
    readsFiles: /\b(read_(parquet|csv|csv_auto|json|json_auto|ndjson)|parquet_scan)\s*\(|FROM\s+'[^']+'/i.test(String(r[2])),
  }));
}
