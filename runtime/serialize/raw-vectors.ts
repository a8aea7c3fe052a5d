/**
 * A chunk's column memory as DuckDB holds it, read without building a JS value per item.
 *
 * `@duckdb/node-api` turns every BIGINT into a bigint, every TIMESTAMP into an object and
 * every VARCHAR into a decoded string; for a 100k-row export that allocation is most of
 * the cost. These take the same vector memory from the C API bindings instead (one copy
 * per vector, as node-api takes it too): fixed-width values as typed-array elements,
 * strings as their UTF-8 bytes. Chunks fetched from a result are flat, which is what
 * both rely on, and a string's pointer stays valid while its chunk is referenced.
 */
import duckdb from '@duckdb/node-bindings';
import type { DuckDBDataChunk } from '@duckdb/node-api';

export interface RawColumn {
  /** `rowCount × width` bytes of the vector's data. */
  data: Uint8Array;
  /** DuckDB's validity bitmap (bit `row` set when valid), or null when every row is valid. */
  validity: Uint8Array | null;
}

export function rawColumn(chunk: DuckDBDataChunk, column: number, rowCount: number, width: number): RawColumn {
  const vector = duckdb.data_chunk_get_vector(chunk.chunk, column);
  const data = duckdb.vector_get_data(vector, rowCount * width);
  const validity = duckdb.vector_get_validity(vector, Math.ceil(rowCount / 64) * 8) as Uint8Array | null | undefined;
  return { data, validity: validity ?? null };
}

/** 64-bit items are read as Int32 halves, little-endian (as DuckDB stores them on every platform it ships for). */
export const TWO_32 = 4_294_967_296;
/** |high word| of a 64-bit item below this: the value is within ±2^53 (save −2^53 itself). */
export const SAFE_HIGH = 2_097_152;

/**
 * The bytes of a VARCHAR item longer than 12 bytes: a `duckdb_string_t` holds its length,
 * then up to 12 bytes inline, or a prefix and a pointer to the rest.
 */
export function outOfLine(raw: RawColumn, row: number, length: number): Uint8Array {
  return duckdb.get_data_from_pointer(raw.data.buffer as ArrayBuffer, raw.data.byteOffset + row * 16 + 8, length);
}

/** Booleans are one byte in every DuckDB build this package ships; anything else takes the slow path. */
export const BOOL_IS_BYTE = duckdb.sizeof_bool === 1;
