/**
 * Whether a read's SQL is a key lookup that can be answered for many keys at once, and the
 * SQL that does it.
 *
 * A key lookup here is one SELECT over one relation (a table, a view, or a file read) whose WHERE has `column = $1` among
 * its AND-ed conditions, where `$1` is the request's only bound value. Its rows for a set
 * of keys are then exactly the rows of `column IN ($1, …, $n)`,
 * each tagged with the keys it matched by a bit mask that DuckDB computes with the very
 * same `column = $k` comparison (casts and collations included), so every request gets
 * the rows it would get alone, in the same order.
 *
 * The shape is read from DuckDB's own parse tree (`json_serialize_sql`) and its plan, never
 * from the text: anything that makes rows of one key depend on rows of another (aggregates,
 * DISTINCT, windows, LIMIT, joins, set operations) shows in the plan as an operator other
 * than a scan, a projection, a filter or an ORDER BY, and is refused. The batched SQL is
 * the same tree with the comparison swapped and a mask column and a row guard added,
 * printed back by `json_deserialize_sql`, so the columns keep their names and types (both
 * are checked against the single query before the shape is used).
 */
import { DuckDBTypeId, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { bindValues } from '../db/index.js';
import type { BoundValue } from '../template/index.js';

/** Distinct keys one batched query answers at most. */
export const MAX_BATCH_KEYS = 32;

/** Batch sizes a statement is prepared for; a batch is padded up to the next one. */
export const BATCH_SIZES = [1, 2, 4, 8, 16, MAX_BATCH_KEYS] as const;

/** Rows a batched query may return before the batch gives way to single queries. */
export const BATCH_ROW_GUARD = 4096;

/** The mask column added after the query's own columns. */
export const MATCH_COLUMN = '__flapi_match';

/** The key column added instead, where JavaScript can match keys exactly (integer keys). */
export const KEY_COLUMN = '__flapi_key';

/** DuckDB's integer type ids: their values compare in JavaScript exactly as in SQL. */
const INTEGER_TYPE_IDS = new Set([DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);

export type LookupVerdict =
  /**
   * Batchable: `sql.get(size)` answers up to `size` keys. `indexed`: DuckDB answers it with
   * an index scan; otherwise it scans the table (still once per batch, not once per key).
   */
  | {
    kind: 'batch'; column: string; indexed: boolean; sql: ReadonlyMap<number, string>; table?: TableName;
    /**
     * The query has an ORDER BY. Without one, a key's rows come in whatever order the scan
     * gives, and `IN (...)` scans otherwise than `= $1`: only keys with one row may share.
     */
    ordered: boolean;
    /**
     * For an integer key: the batched SQL that returns the key itself instead of the mask
     * (DuckDB computes each mask bit with its own comparison, which doubles a batch's cost;
     * integer keys given as integers compare the same in JavaScript).
     */
    keyed?: ReadonlyMap<number, string>;
  }
  /**
   * Anything else; `why` says what, for logs and tests. `failed`: DuckDB refused to look
   * (a table not there yet, say), so the answer may change.
   */
  | { kind: 'other'; why: string; failed?: true };

/** The table a lookup reads, as written (empty parts: the search path decides). */
export interface TableName {
  catalog: string;
  schema: string;
  table: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Node = { [key: string]: Json };

/** Operators that keep one key's rows independent of the others': scans (tables and files), projections, filters, sorts. */
const ALLOWED_OPERATORS = new Set([
  'PROJECTION', 'FILTER', 'SEQ_SCAN', 'TABLE_SCAN', 'ORDER_BY', 'EMPTY_RESULT',
  // A file read per batch instead of per request: flAPI projects look keys up straight in Parquet or CSV.
  'READ_PARQUET', 'PARQUET_SCAN', 'READ_CSV', 'READ_CSV_AUTO', 'READ_JSON', 'READ_JSON_AUTO', 'READ_NDJSON',
]);

function isNode(value: Json | undefined): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function scalar(connection: DuckDBConnection, sql: string, argument: string): Promise<string> {
  const reader = await connection.runAndReadAll(sql, [argument]);
  return String(reader.getRows()[0]?.[0] ?? '');
}

/** DuckDB's parse tree of `sql`; positions past 2^53 (none) are zeroed so the tree survives JSON.parse and prints back. */
async function parseTree(connection: DuckDBConnection, sql: string): Promise<Node | undefined> {
  const text = await scalar(connection, 'SELECT json_serialize_sql(?::VARCHAR)', sql);
  const tree = JSON.parse(text.replace(/"query_location":\d{16,}/g, '"query_location":0')) as Json;
  if (!isNode(tree) || tree['error'] === true || !Array.isArray(tree['statements']) || tree['statements'].length !== 1) return undefined;
  return tree;
}

function countParameters(value: Json): number {
  if (Array.isArray(value)) return value.reduce<number>((n, item) => n + countParameters(item), 0);
  if (!isNode(value)) return 0;
  let n = value['class'] === 'PARAMETER' ? 1 : 0;
  for (const child of Object.values(value)) n += countParameters(child);
  return n;
}

/** The column of a `column = $1` comparison (either way round), as DuckDB names it. */
function keyColumn(node: Json | undefined): string[] | undefined {
  if (!isNode(node) || node['class'] !== 'COMPARISON' || node['type'] !== 'COMPARE_EQUAL') return undefined;
  const sides = [node['left'], node['right']];
  const column = sides.find((side) => isNode(side) && side['class'] === 'COLUMN_REF');
  const parameter = sides.find((side) => isNode(side) && side['class'] === 'PARAMETER' && side['identifier'] === '1');
  if (!isNode(column) || parameter === undefined) return undefined;
  const names = column['column_names'];
  return Array.isArray(names) && names.every((n) => typeof n === 'string') ? (names as string[]) : undefined;
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `"${n.replaceAll('"', '""')}"`).join('.');
}

function operators(plan: Json, out: string[] = []): string[] {
  if (Array.isArray(plan)) for (const item of plan) operators(item, out);
  else if (isNode(plan)) {
    if (typeof plan['name'] === 'string') out.push(plan['name']);
    operators(plan['children'] ?? null, out);
  }
  return out;
}

async function explainJson(connection: DuckDBConnection, sql: string, value: BoundValue): Promise<Json> {
  const statement = await connection.prepare(`EXPLAIN (FORMAT json) ${sql}`);
  bindValues(statement, [value]);
  const rows = (await statement.runAndReadAll()).getRows();
  return JSON.parse(String(rows[0]?.[1] ?? 'null')) as Json;
}

async function usesIndex(connection: DuckDBConnection, sql: string, values: readonly BoundValue[]): Promise<boolean> {
  const statement = await connection.prepare(`EXPLAIN ANALYZE ${sql}`);
  bindValues(statement, values);
  const rows = (await statement.runAndReadAll()).getRows();
  return rows.some((row) => /Index Scan/.test(String(row[1] ?? '')));
}

function sameColumns(single: DuckDBPreparedStatement, batch: DuckDBPreparedStatement): boolean {
  if (batch.columnCount !== single.columnCount + 1 || batch.parameterCount !== 1 || single.parameterCount !== 1) return false;
  for (let i = 0; i < single.columnCount; i++) {
    if (single.columnName(i) !== batch.columnName(i) || single.columnType(i).toString() !== batch.columnType(i).toString()) return false;
  }
  return single.parameterTypeId(1) === batch.parameterTypeId(1);
}

/** The batched SQL for `size` keys: the query's tree with `column IN (...)`, the mask and the row guard. */
async function batchSql(connection: DuckDBConnection, tree: Node, column: readonly string[], size: number, keyed = false): Promise<string> {
  const key = quoted(column);
  const params = Array.from({ length: size }, (_, i) => `$${i + 1}`);
  const tag = keyed ? `${key} AS ${KEY_COLUMN}` : `${params.map((p, i) => `CASE WHEN ${key} = ${p} THEN ${2 ** i} ELSE 0 END`).join(' + ')} AS ${MATCH_COLUMN}`;
  const parts = await parseTree(connection, `SELECT ${tag} WHERE ${key} IN (${params.join(', ')}) LIMIT ${BATCH_ROW_GUARD + 1}`);
  const source = ((parts?.['statements'] as Node[] | undefined)?.[0]?.['node'] ?? null) as Node | null;
  const copy = JSON.parse(JSON.stringify(tree)) as Node;
  const node = (copy['statements'] as Node[])[0]!['node'] as Node;
  if (source === null) throw new Error('could not build the batched lookup');
  (node['select_list'] as Json[]).push((source['select_list'] as Json[])[0]!);
  const where = node['where_clause'] as Node;
  if (keyColumn(where) !== undefined) node['where_clause'] = source['where_clause']!;
  else (where['children'] as Json[]).splice((where['children'] as Json[]).findIndex((c) => keyColumn(c) !== undefined), 1, source['where_clause']!);
  (node['modifiers'] as Json[]).push(...(source['modifiers'] as Json[]));
  return scalar(connection, 'SELECT json_deserialize_sql(?::JSON)', JSON.stringify(copy));
}

/**
 * A cheap first look: SQL without `= $1` / `$1 =` anywhere cannot be a key lookup, and is
 * refused without asking DuckDB (text inside strings may still say yes; DuckDB decides).
 */
export function mayBeLookup(sql: string): boolean {
  return /=\s*\$1(?!\d)|\$1(?!\d)\s*=/.test(sql);
}

/**
 * Reads the shape of `sql` (a rendered read with one bound value, `sample` a real value
 * for it) on `connection`. Never throws: anything unexpected is `other`.
 */
export async function analyseLookup(connection: DuckDBConnection, sql: string, sample: BoundValue): Promise<LookupVerdict> {
  if (!mayBeLookup(sql)) return { kind: 'other', why: 'no `= $1` in it' };
  try {
    const tree = await parseTree(connection, sql);
    const node = (tree?.['statements'] as Node[] | undefined)?.[0]?.['node'];
    if (tree === undefined || !isNode(node) || node['type'] !== 'SELECT_NODE') return { kind: 'other', why: 'not a single SELECT' };
    if (countParameters(tree) !== 1) return { kind: 'other', why: 'more than one bound value' };
    const where = node['where_clause'];
    const column = keyColumn(where) ??
      (isNode(where) && where['type'] === 'CONJUNCTION_AND' && Array.isArray(where['children']) ? where['children'].map(keyColumn).find((c) => c !== undefined) : undefined);
    if (column === undefined) return { kind: 'other', why: 'no `column = $1` in its WHERE' };
    const shown = column.join('.');
    const plan = operators(await explainJson(connection, sql, sample));
    const odd = plan.find((op) => !ALLOWED_OPERATORS.has(op));
    if (odd !== undefined) return { kind: 'other', why: `its plan has ${odd}` };
    const sizes = new Map<number, string>();
    for (const size of BATCH_SIZES) sizes.set(size, await batchSql(connection, tree, column, size));
    const pair = sizes.get(2)!;
    const single = await connection.prepare(sql);
    const batch = await connection.prepare(sizes.get(1)!);
    if (!sameColumns(single, batch)) return { kind: 'other', why: 'the batched query changes its columns' };
    let keyed: Map<number, string> | undefined;
    if (INTEGER_TYPE_IDS.has(single.parameterTypeId(1))) {
      keyed = new Map();
      for (const size of BATCH_SIZES) keyed.set(size, await batchSql(connection, tree, column, size, true));
      const probe = await connection.prepare(keyed.get(1)!);
      if (!sameColumns(single, probe) || !INTEGER_TYPE_IDS.has(probe.columnTypeId(probe.columnCount - 1))) keyed = undefined;
    }
    const indexed = await usesIndex(connection, pair, [sample, sample]);
    const from = node['from_table'];
    const table = isNode(from) && from['type'] === 'BASE_TABLE'
      ? { catalog: String(from['catalog_name'] ?? ''), schema: String(from['schema_name'] ?? ''), table: String(from['table_name'] ?? '') }
      : undefined;
    const ordered = Array.isArray(node['modifiers']) && node['modifiers'].some((m) => isNode(m) && m['type'] === 'ORDER_MODIFIER');
    return { kind: 'batch', column: shown, indexed, ordered, sql: sizes, ...(table ? { table } : {}), ...(keyed ? { keyed } : {}) };
  } catch (err) {
    return { kind: 'other', why: err instanceof Error ? err.message : String(err), failed: true };
  }
}
