import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../../runtime/cache/sql-names.js';
import type { Manifest } from '../../runtime/manifest.js';

/**
 * The catalog the dry-run builds cache tables in, named as the server names it: with
 * `ducklake.alias` an in-memory database attached under the alias (so `{{cache.catalog}}`
 * and names written with the alias resolve as they will when served), else DuckDB's `memory`.
 */
export async function attachDryRunCatalog(connection: DuckDBConnection, manifest: Manifest): Promise<string> {
  const alias = manifest.duckdb.cacheCatalog?.alias;
  if (alias === undefined) return 'memory';
  // db_path already attached under that name: the server keeps its caches in that file too.
  const taken = await connection.runAndReadAll('SELECT 1 FROM duckdb_databases() WHERE database_name = $1', [alias]);
  if (taken.getRows().length > 0) return 'memory';
  await connection.run(`ATTACH ':memory:' AS ${quoteIdent(alias)}`);
  return alias;
}
