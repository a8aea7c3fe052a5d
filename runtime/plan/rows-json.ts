/**
 * JSON text of a whole query result, written straight from DuckDB's chunks by the
 * serialiser (no intermediate row objects). Column encoders depend only on the prepared
 * statement, so they are built once per statement and reused.
 */
import type { DuckDBMaterializedResult, DuckDBPreparedStatement, DuckDBResult } from '@duckdb/node-api';
import { createJsonTextWriter, resultColumns, type JsonTextWriter } from '../serialize/index.js';

const writers = new WeakMap<DuckDBPreparedStatement, JsonTextWriter>();

export interface RowsJson {
  /** `[...]` for the result's rows. */
  text: string;
  rowCount: number;
}

/** The statement's JSON writer (its columns do not change between runs). */
export function jsonWriterFor(statement: DuckDBPreparedStatement, result: DuckDBResult): JsonTextWriter {
  let writer = writers.get(statement);
  if (writer === undefined) {
    writer = createJsonTextWriter(resultColumns(result));
    writers.set(statement, writer);
  }
  return writer;
}

export function rowsJson(statement: DuckDBPreparedStatement, result: DuckDBMaterializedResult): RowsJson {
  const writer = jsonWriterFor(statement, result);
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
