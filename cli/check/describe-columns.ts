/**
 * The result columns of a prepared template. DuckDB leaves a column's type unresolved
 * (type id INVALID) when it depends on a parameter whose type the statement alone does not
 * fix, as in `SELECT {{params.id}} + 1`. Such a statement is described again by running it
 * under `LIMIT 0` with the dry-run's own values bound, which fixes every type and reads no rows.
 * Nullability is proven from the query's shape where it can be (column-nullability.ts).
 */
import { DuckDBTypeId, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBType } from '@duckdb/node-api';
import { bindValues } from '../../runtime/db/bind-values.js';
import type { ColumnSpec } from '../../runtime/manifest.js';
import type { BoundValue } from '../../runtime/template/index.js';
import { provenNotNull } from './column-nullability.js';

/** Written where even the bound run cannot tell a column's type (it maps to "any value"). */
export const UNKNOWN_COLUMN_TYPE = 'UNKNOWN';

/** A type as the manifest names it: by its alias where it has one (JSON is a VARCHAR with an alias). */
function typeName(type: DuckDBType): string {
  return type.alias ?? type.toString();
}

function unresolved(statement: DuckDBPreparedStatement): boolean {
  for (let i = 0; i < statement.columnCount; i++) {
    if (statement.columnTypeId(i) === DuckDBTypeId.INVALID) return true;
  }
  return false;
}

async function describeByRunning(connection: DuckDBConnection, sql: string, values: readonly BoundValue[]): Promise<ColumnSpec[] | undefined> {
  try {
    const probe = await connection.prepare(`SELECT * FROM (${sql}\n) AS flapi_describe LIMIT 0`);
    bindValues(probe, values);
    const result = await probe.run();
    const columns: ColumnSpec[] = [];
    for (let i = 0; i < result.columnCount; i++) {
      columns.push({ name: result.columnName(i), type: typeName(result.columnType(i)), nullable: true });
    }
    return columns;
  } catch {
    // Not a query that can stand in a FROM clause (a write, say): keep what the statement knows.
    return undefined;
  }
}

function describeStatement(statement: DuckDBPreparedStatement): ColumnSpec[] {
  const columns: ColumnSpec[] = [];
  for (let i = 0; i < statement.columnCount; i++) {
    const type = statement.columnTypeId(i) === DuckDBTypeId.INVALID ? UNKNOWN_COLUMN_TYPE : typeName(statement.columnType(i));
    columns.push({ name: statement.columnName(i), type, nullable: true });
  }
  return columns;
}

/** Columns with their types, and `nullable: false` where the query's shape proves it (column-nullability.ts). */
export async function describeColumns(
  connection: DuckDBConnection,
  statement: DuckDBPreparedStatement,
  sql: string,
  values: readonly BoundValue[],
): Promise<ColumnSpec[]> {
  const columns = (unresolved(statement) ? await describeByRunning(connection, sql, values) : undefined) ?? describeStatement(statement);
  const notNull = await provenNotNull(connection, sql, columns.map((c) => c.name));
  return columns.map((column, i) => (notNull[i] ? { ...column, nullable: false } : column));
}
