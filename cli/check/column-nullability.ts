/**
 * Which result columns can never be NULL, so the generated `Row` types need no `| null`
 * there. DuckDB does not say this of a query's result, so it is proven from the query's
 * own shape (DuckDB's parse of it, `json_serialize_sql`) and the catalog:
 * - a column taken straight from a table column declared NOT NULL (or a primary key),
 *   from a table on the preserved side of every join;
 * - `count(*)` and `count(x)`;
 * - a non-NULL constant.
 * Anything else (expressions, other functions, subqueries, set operations, views, CTEs)
 * stays nullable: a wrong `| null` costs a check, a missing one a crash.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

interface TableRef {
  name: string;
  schema: string;
  /** Rows of this table may be missing from a row of the result (outer join). */
  outer: boolean;
}

interface Expr {
  class?: string;
  type?: string;
  column_names?: string[];
  function_name?: string;
  value?: { is_null?: boolean };
  exclude_list?: unknown[];
  replace_list?: unknown[];
  columns?: boolean;
  expr?: unknown;
}

interface FromNode {
  type?: string;
  alias?: string;
  table_name?: string;
  schema_name?: string;
  join_type?: string;
  left?: FromNode;
  right?: FromNode;
}

/** Tables by the name a column may qualify them with; undefined when the FROM is not plain tables and joins. */
function tablesOf(node: FromNode | undefined, outer: boolean, out: Map<string, TableRef>): boolean {
  if (node === undefined || node.type === 'EMPTY') return true;
  if (node.type === 'BASE_TABLE' && node.table_name) {
    out.set((node.alias || node.table_name).toLowerCase(), { name: node.table_name, schema: node.schema_name ?? '', outer });
    return true;
  }
  if (node.type === 'JOIN') {
    const kind = node.join_type ?? 'INNER';
    const leftOuter = outer || kind === 'RIGHT' || kind === 'OUTER' || kind === 'FULL';
    const rightOuter = outer || kind === 'LEFT' || kind === 'OUTER' || kind === 'FULL';
    return tablesOf(node.left, leftOuter, out) && tablesOf(node.right, rightOuter, out);
  }
  return false;
}

async function notNullColumns(connection: DuckDBConnection, table: TableRef): Promise<Set<string>> {
  const reader = await connection.runAndReadAll(
    `SELECT column_name FROM duckdb_columns() WHERE table_name = $1 AND ($2 = '' OR schema_name = $2) AND NOT is_nullable`,
    [table.name, table.schema],
  );
  return new Set(reader.getRows().map(([name]) => String(name).toLowerCase()));
}

/** For each of `names` (the result's columns, in order): true when it is proven never NULL. */
export async function provenNotNull(connection: DuckDBConnection, sql: string, names: readonly string[]): Promise<boolean[]> {
  const none = names.map(() => false);
  let node: { type?: string; select_list?: Expr[]; from_table?: FromNode; cte_map?: { map?: unknown[] } };
  try {
    const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    const parsed = JSON.parse(String(reader.getRows()[0]?.[0])) as { error?: boolean; statements?: { node: typeof node }[] };
    if (parsed.error || parsed.statements?.length !== 1) return none;
    node = parsed.statements[0]!.node;
  } catch {
    return none;
  }
  if (node.type !== 'SELECT_NODE' || (node.cte_map?.map?.length ?? 0) > 0) return none;
  const tables = new Map<string, TableRef>();
  if (!tablesOf(node.from_table, false, tables)) return none;
  const select = node.select_list ?? [];
  const inner = [...tables.values()].filter((t) => !t.outer);
  const notNull = new Map<TableRef, Set<string>>();
  const columnsOf = async (table: TableRef) => {
    let set = notNull.get(table);
    if (set === undefined) notNull.set(table, (set = await notNullColumns(connection, table)));
    return set;
  };

  // `SELECT * FROM one_table`: the result's columns are the table's.
  const star = select.length === 1 && select[0]!.class === 'STAR' && !select[0]!.columns && (select[0]!.replace_list?.length ?? 0) === 0;
  if (star) {
    if (tables.size !== 1 || inner.length !== 1) return none;
    const set = await columnsOf(inner[0]!);
    return names.map((name) => set.has(name.toLowerCase()));
  }
  if (select.length !== names.length) return none;
  const out: boolean[] = [];
  for (const expr of select) out.push(await exprNotNull(expr, tables, inner, columnsOf));
  return out;
}

async function exprNotNull(expr: Expr, tables: Map<string, TableRef>, inner: TableRef[], columnsOf: (t: TableRef) => Promise<Set<string>>): Promise<boolean> {
  if (expr.class === 'CONSTANT') return expr.value?.is_null === false;
  if (expr.class === 'FUNCTION' || expr.class === 'AGGREGATE') return expr.function_name === 'count_star' || expr.function_name === 'count';
  if (expr.class !== 'COLUMN_REF' || !expr.column_names) return false;
  const parts = expr.column_names.map((p) => p.toLowerCase());
  const column = parts[parts.length - 1]!;
  let table: TableRef | undefined;
  if (parts.length === 2) table = tables.get(parts[0]!);
  else if (parts.length === 1 && tables.size === 1) table = [...tables.values()][0];
  if (table === undefined || table.outer || !inner.includes(table)) return false;
  return (await columnsOf(table)).has(column);
}
