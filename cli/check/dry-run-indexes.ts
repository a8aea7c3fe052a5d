/**
 * The dry-run makes the indexes the server will make, with the server's own SQL: the
 * declared ones right after init, and each cache's key index on its empty table. What
 * DuckDB refuses (a table init does not make, a missing column, a list column, duplicate
 * keys of a unique index) is reported at the declaration instead of failing the server's
 * start or a refresh.
 */
import { DuckDBTypeId, type DuckDBConnection } from '@duckdb/node-api';
import { indexKey } from '../../runtime/cache/key-index.js';
import { quoteIdent } from '../../runtime/cache/sql-names.js';
import { createDeclaredIndex, indexProblem, tableIndexOf, type DeclaredIndex } from '../../runtime/db/declared-indexes.js';
import { createIndexSql } from '../../runtime/db/table-index.js';
import { writtenIndexes } from '../config/normalise-indexes.js';
import type { CompiledEndpoint } from '../config/normalise-endpoint.js';
import { asMap } from '../config/yaml-values.js';
import type { DryRunContext } from './dry-run-input.js';

const NESTED = new Set([DuckDBTypeId.LIST, DuckDBTypeId.ARRAY, DuckDBTypeId.STRUCT, DuckDBTypeId.MAP, DuckDBTypeId.UNION]);

/** Declared indexes of the connections whose init ran (`initialised`); each failure is reported where it is declared. */
export async function dryRunDeclaredIndexes(connection: DuckDBConnection, input: DryRunContext, initialised: ReadonlySet<string>): Promise<void> {
  const connections = asMap(asMap(input.project.main.data).connections);
  for (const name of initialised) {
    const at = ['connections', name, 'indexes'];
    for (const written of writtenIndexes(asMap(connections[name]).indexes, at)) {
      const index: DeclaredIndex = { connection: name, spec: written.spec };
      const problem = await declaredIndexProblem(connection, index);
      if (problem === undefined) continue;
      input.diagnostics.push({ severity: 'error', ...input.project.main.locate(written.path, 'key'), code: 'index', message: problem });
    }
  }
}

/**
 * Made for real, as the server makes it: DuckDB refuses a missing table or column, a view,
 * a LIST column and duplicate keys of a unique index, and the endpoints' lookups are then
 * planned (and checked) on the index the server will have. A table of the attached
 * db_path can only be read here: the CREATE INDEX is bound without running, and the types
 * DuckDB cannot index (refused only when it runs) are read from the columns.
 */
async function declaredIndexProblem(connection: DuckDBConnection, index: DeclaredIndex): Promise<string | undefined> {
  try {
    await createDeclaredIndex(connection, index);
    return undefined;
  } catch (err) {
    if (!/read-only mode/i.test(String(((err as Error).cause as Error | undefined)?.message))) return (err as Error).message;
  }
  const table = tableIndexOf(index.spec);
  try {
    await connection.prepare(createIndexSql(table));
    const probe = await connection.prepare(`SELECT ${table.columns.map(quoteIdent).join(', ')} FROM ${table.table.map(quoteIdent).join('.')} LIMIT 0`);
    for (let i = 0; i < probe.columnCount; i++) {
      if (NESTED.has(probe.columnTypeId(i))) throw new Error(`Invalid type Error: Invalid Type [${probe.columnType(i).toString()}]: Invalid type for index key.`);
    }
    return undefined;
  } catch (err) {
    return indexProblem(index, err);
  }
}

/** The key index on the dry-run's empty cache table; a cache table the dry-run did not build is left alone. */
export async function dryRunKeyIndex(connection: DuckDBConnection, endpoint: CompiledEndpoint, input: DryRunContext): Promise<void> {
  const cache = endpoint.spec.cache;
  if (cache === undefined || cache.primaryKey.length === 0 || cache.table === '') return;
  const exists = await connection.runAndReadAll(
    "SELECT 1 FROM duckdb_tables() WHERE database_name = $1 AND schema_name = $2 AND table_name = $3", [input.cacheCatalog, cache.schema, cache.table]);
  if (exists.getRows().length === 0) return;
  try {
    await indexKey(connection, { catalog: input.cacheCatalog, schema: cache.schema, physical: cache.table, spec: cache }, false);
  } catch (err) {
    input.diagnostics.push({ severity: 'error', ...endpoint.doc.locate(['cache', 'primary-key']), code: 'cache-primary-key', message: (err as Error).message });
  }
}
