/**
 * A chunk's column memory as DuckDB holds it, read without building a JS value per item.
 *
 * `@duckdb/node-api` turns every BIGINT into a bigint, every TIMESTAMP into an object and
 * every VARCHAR into a decoded string; for a 100k-row export that allocation is most of
 * the cost. These read the same vector memory through the C API bindings instead: fixed
 * width values as typed-array elements, strings as their UTF-8 bytes. Chunks fetched from
 * a result are flat, which is what both rely on.
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

export function isValid(validity: Uint8Array | null, row: number): boolean {
  return validity === null || ((validity[row >> 3]! >> (row & 7)) & 1) === 1;
}

/** Int32 halves of 64-bit items (little-endian, as DuckDB stores them on every platform it ships for). */
export function int32View(raw: RawColumn, rowCount: number, width = 8): Int32Array {
  return new Int32Array(raw.data.buffer, raw.data.byteOffset, (rowCount * width) >> 2);
}

const TWO_32 = 4_294_967_296;
/** |high word| below this: the value is within ±2^53. */
const SAFE_HIGH = 2_097_152;

/** A signed 64-bit item as a number, or NaN when it lies beyond ±(2^53 − 1). */
export function int64At(words: Int32Array, row: number): number {
  const high = words[2 * row + 1]!;
  if (high >= SAFE_HIGH || high < -SAFE_HIGH) return NaN;
  const n = high * TWO_32 + (words[2 * row]! >>> 0);
  return n === -9_007_199_254_740_992 ? NaN : n;
}

/** An unsigned 64-bit item as a number, or NaN beyond 2^53 − 1. */
export function uint64At(words: Int32Array, row: number): number {
  const high = words[2 * row + 1]! >>> 0;
  return high >= SAFE_HIGH ? NaN : high * TWO_32 + (words[2 * row]! >>> 0);
}

/**
 * The UTF-8 bytes of VARCHAR items (`duckdb_string_t`: a length, then up to 12 bytes inline
 * or a pointer). `at(row)` points `bytes`, `start` and `length` at the row's string.
 */
export class StringItems {
  bytes: Uint8Array = new Uint8Array(0);
  start = 0;
  length = 0;
  private data: Uint8Array = new Uint8Array(0);
  private lengths: Int32Array = new Int32Array(0);

  load(raw: RawColumn, rowCount: number): void {
    this.data = raw.data;
    this.lengths = new Int32Array(raw.data.buffer, raw.data.byteOffset, rowCount * 4);
  }

  at(row: number): void {
    const length = this.lengths[row * 4]!;
    this.length = length;
    if (length <= 12) {
      this.bytes = this.data;
      this.start = row * 16 + 4;
    } else {
      this.bytes = duckdb.get_data_from_pointer(this.data.buffer as ArrayBuffer, this.data.byteOffset + row * 16 + 8, length);
      this.start = 0;
    }
  }
}

/** Booleans are one byte in every DuckDB build this package ships; anything else takes the slow path. */
export const BOOL_IS_BYTE = duckdb.sizeof_bool === 1;
