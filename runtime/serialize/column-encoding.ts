/**
 * What the column encoders of large results share (column-bytes.ts picks one per column):
 * each writes one chunk's values of its column into an EncodedColumn, in one loop over the
 * rows (encoded-column.ts says why), in the bytes of the column's text encoder.
 */
import type { DuckDBDataChunk, DuckDBValue } from '@duckdb/node-api';
import type { EncodedColumn } from './encoded-column.js';
import { rawColumn, type RawColumn } from './raw-vectors.js';

export interface ColumnBytes {
  /** The chunk's values of the column, into `out`. */
  encode(chunk: DuckDBDataChunk, column: number, rowCount: number, out: EncodedColumn): void;
}

/** What differs between JSON and CSV for the types encoded from memory. */
export interface ByteDialect {
  /** For NULL and for non-finite doubles. */
  nullText: string;
  /** Dates and timestamps between double quotes. */
  quoteTemporal: boolean;
  /** 64-bit integers within ±2^53 between double quotes. */
  quoteSafeInt: boolean;
  /** 64-bit integers beyond ±2^53 between double quotes. */
  quoteWideInt: boolean;
  /** A VARCHAR's UTF-8 (putJsonString or putCsvField): the end, or -1 to use the decoded text. */
  string(buf: Uint8Array, pos: number, bytes: Uint8Array, start: number, length: number): number;
  /** Bytes `string` may write per byte of input, plus two. */
  stringGrowth: number;
}

/** A column's text encoder: what its values are written as, one at a time. */
export type TextOf = (value: DuckDBValue) => string;

/** `text` as UTF-8 at `pos`, growing `out` as needed; returns the end. */
export function putText(out: EncodedColumn, pos: number, text: string): number {
  const buf = out.room(pos, text.length * 3);
  return pos + buf.write(text, pos, 'utf8');
}

/** DuckDB's validity bitmap: bit `row` clear when the row is NULL. */
export function isNull(validity: Uint8Array | null, row: number): boolean {
  return validity !== null && ((validity[row >> 3]! >> (row & 7)) & 1) === 0;
}

/** A typed array class, to view a column's items as. */
export type ItemsOf<T> = { new (buffer: ArrayBuffer, byteOffset: number, length: number): T; readonly BYTES_PER_ELEMENT: number };

export interface OpenColumn<T> extends RawColumn {
  /** The items, as `View` elements (two per BIGINT as Int32Array, four per VARCHAR). */
  items: T;
  /** `out`'s bytes, with room for the chunk's values from 0. */
  buf: Buffer;
}

/**
 * The chunk's column of `width`-byte items, and `out` ready for its `rowCount` values of
 * at most `maxBytes` bytes each.
 */
export function openColumn<T>(chunk: DuckDBDataChunk, column: number, rowCount: number, width: number, View: ItemsOf<T>, out: EncodedColumn, maxBytes: number): OpenColumn<T> {
  const { data, validity } = rawColumn(chunk, column, rowCount, width);
  out.start(rowCount);
  const items = new View(data.buffer as ArrayBuffer, data.byteOffset, (rowCount * width) / View.BYTES_PER_ELEMENT);
  return { data, validity, items, buf: out.room(0, rowCount * maxBytes) };
}
