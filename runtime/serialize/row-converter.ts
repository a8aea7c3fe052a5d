/**
 * Result rows → JSON row objects, with one converter per column decided up front.
 *
 * Values are read column by column straight from each chunk's vectors; columns whose values
 * are already JSON (VARCHAR, ENUM, BOOLEAN, 8–32-bit integers) skip conversion entirely.
 */
import type { DuckDBDataChunk, DuckDBResult, DuckDBType } from '@duckdb/node-api';
import type { JsonRow, JsonValue } from './json-value.js';
import { createValueConverter, passThroughConverter, setJsonKey, type ValueConverter } from './value-converter.js';
import type { BigintMode } from './wire-types.js';

/** A result column as the converters need it: the key it gets in a row and its DuckDB type. */
export interface ResultColumn {
  name: string;
  type: DuckDBType;
}

export interface RowConverter {
  readonly columns: readonly ResultColumn[];
  /** Per column: its value converter, or undefined when values pass through unchanged. */
  readonly converters: readonly (ValueConverter | undefined)[];
  /** Appends the chunk's rows to `into` (a new array when omitted) and returns it. */
  rowsFromChunk(chunk: DuckDBDataChunk, into?: JsonRow[]): JsonRow[];
}

/**
 * Columns of a result, named as its rows will be keyed: a repeated name gets a `:n` suffix
 * (`id`, `id:1`), as `@duckdb/node-api` does, so no value is silently dropped.
 */
export function resultColumns(result: DuckDBResult): ResultColumn[] {
  const names = result.deduplicatedColumnNames();
  const types = result.columnTypes();
  return names.map((name, i) => ({ name, type: types[i]! }));
}

/** Builds the converters once; reuse the returned object for every chunk of the result. */
export function createJsonRowConverter(columns: readonly ResultColumn[], bigint: BigintMode = 'auto'): RowConverter {
  const converters = columns.map((column) => {
    const converter = createValueConverter(column.type, bigint);
    return converter === passThroughConverter ? undefined : converter;
  });
  const names = columns.map((column) => column.name);
  return {
    columns,
    converters,
    rowsFromChunk(chunk, into = []) {
      const rowCount = chunk.rowCount;
      const start = into.length;
      for (let r = 0; r < rowCount; r++) into.push({});
      for (let c = 0; c < names.length; c++) {
        const name = names[c]!;
        const vector = chunk.getColumnVector(c);
        const convert = converters[c];
        if (name === '__proto__') {
          for (let r = 0; r < rowCount; r++) setJsonKey(into[start + r]!, name, (convert ?? passThroughConverter)(vector.getItem(r)));
        } else if (convert) {
          for (let r = 0; r < rowCount; r++) into[start + r]![name] = convert(vector.getItem(r));
        } else {
          for (let r = 0; r < rowCount; r++) into[start + r]![name] = vector.getItem(r) as JsonValue;
        }
      }
      return into;
    },
  };
}

/** Reads a whole result (materialized or streaming) into JSON rows. For bounded results only. */
export async function rowObjectsFromResult(result: DuckDBResult, bigint: BigintMode = 'auto'): Promise<JsonRow[]> {
  const converter = createJsonRowConverter(resultColumns(result), bigint);
  const rows: JsonRow[] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return rows;
    converter.rowsFromChunk(chunk, rows);
  }
}
