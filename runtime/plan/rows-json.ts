/**
 * JSON text of a whole query result, written straight from DuckDB's chunks by the
 * serialiser (no intermediate row objects). Column encoders are built once per statement
 * and reused while each result has the types they were built for: the same SQL text can
 * return other types (a table function over a file chosen by a parameter), and an encoder
 * for the wrong type would write invalid JSON.
 */
import type { DuckDBMaterializedResult, DuckDBPreparedStatement, DuckDBResult } from '@duckdb/node-api';
import { createJsonTextWriter, resultColumns, type BigintMode, type JsonTextWriter } from '../serialize/index.js';

interface CachedWriter {
  writer: JsonTextWriter;
  bigint: BigintMode;
  /** The result's column types as text, one per column. */
  types: string[];
}

const writers = new WeakMap<DuckDBPreparedStatement, CachedWriter>();

/** DECIMAL, ENUM, LIST, STRUCT, MAP, UNION, ARRAY: the id alone does not fix the encoder. */
const SHAPED = new Set([19, 23, 24, 25, 26, 28, 33]);

/** A column's type as a key: its id, and its full text where the id is not enough. */
function typeKey(result: DuckDBResult, column: number): string {
  const id = result.columnTypeId(column);
  return SHAPED.has(id) ? `${id}:${result.columnType(column).toString()}` : String(id);
}

function typesOf(result: DuckDBResult): string[] {
  const types: string[] = [];
  for (let i = 0; i < result.columnCount; i++) types.push(typeKey(result, i));
  return types;
}

function fits(cached: CachedWriter, result: DuckDBResult, bigint: BigintMode): boolean {
  if (cached.bigint !== bigint || cached.types.length !== result.columnCount) return false;
  for (let i = 0; i < cached.types.length; i++) if (cached.types[i] !== typeKey(result, i)) return false;
  return true;
}

export interface RowsJson {
  /** `[...]` for the result's rows. */
  text: string;
  rowCount: number;
}

/**
 * The statement's JSON writer (its columns do not change between runs); `trailing` columns
 * at the end of the result are not written (a batched lookup's match mask).
 */
export function jsonWriterFor(statement: DuckDBPreparedStatement, result: DuckDBResult, bigint: BigintMode = 'auto', trailing = 0): JsonTextWriter {
  const cached = writers.get(statement);
  if (cached !== undefined && fits(cached, result, bigint)) return cached.writer;
  const columns = resultColumns(result);
  const writer = createJsonTextWriter(trailing > 0 ? columns.slice(0, -trailing) : columns, bigint);
  writers.set(statement, { writer, bigint, types: typesOf(result) });
  return writer;
}

export function rowsJson(statement: DuckDBPreparedStatement, result: DuckDBMaterializedResult, bigint: BigintMode = 'auto'): RowsJson {
  const writer = jsonWriterFor(statement, result, bigint);
  const chunkCount = result.chunkCount;
  let text = '[';
  let first = true;
  let rowCount = 0;
  for (let i = 0; i < chunkCount; i++) {
    const chunk = result.getChunk(i);
    if (chunk.rowCount === 0) continue;
    if (!first) text += ',';
    text += writer.rowsText(chunk, ',');
    rowCount += chunk.rowCount;
    first = false;
  }
  return { text: `${text}]`, rowCount };
}
