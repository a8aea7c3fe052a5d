/**
 * The one spelling of an ART index flapi creates, for cache keys and declared indexes
 * alike. DuckDB plans an index scan for `WHERE key = ?` only when the table has an index
 * on the key; without one every point lookup scans the table.
 *
 * The name is derived from the table, the columns and uniqueness, so creating it again is
 * a no-op (`IF NOT EXISTS`) and a declaration that changes is a new name rather than an
 * old index silently kept.
 */
import { quoteIdent } from '../cache/sql-names.js';

export interface TableIndex {
  /** The table's name parts: `[table]`, `[schema, table]` or `[catalog, schema, table]`. */
  table: readonly string[];
  columns: readonly string[];
  unique: boolean;
}

export function indexName(table: string, columns: readonly string[], unique: boolean): string {
  return `${table}__${columns.join('_')}__${unique ? 'key' : 'idx'}`;
}

/** `CREATE [UNIQUE] INDEX IF NOT EXISTS`; DuckDB puts the index in the table's schema. */
export function createIndexSql(index: TableIndex): string {
  const name = indexName(index.table[index.table.length - 1]!, index.columns, index.unique);
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quoteIdent(name)} ON ${index.table.map(quoteIdent).join('.')} (${index.columns.map(quoteIdent).join(', ')})`;
}

/** Drops the index of the other uniqueness, left by an earlier declaration of the same columns. */
export function dropTwinIndexSql(index: TableIndex): string {
  const name = indexName(index.table[index.table.length - 1]!, index.columns, !index.unique);
  return `DROP INDEX IF EXISTS ${[...index.table.slice(0, -1), name].map(quoteIdent).join('.')}`;
}

/**
 * `flights`, `main.flights` or `db.main.flights`: a name of plain identifiers splits at
 * its dots; anything else is one table name, as written.
 */
export function tableNameParts(table: string): string[] {
  return /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$/.test(table) ? table.split('.') : [table];
}
