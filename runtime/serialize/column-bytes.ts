/**
 * Per-column byte writers for large results: the common types (integers, BOOLEAN, DOUBLE,
 * DATE, TIMESTAMP[TZ], VARCHAR) straight from the vector's memory (raw-vectors.ts), every
 * other type, and any value those cannot write, through the column's text encoder on the
 * value `@duckdb/node-api` reads. The bytes are the UTF-8 of that text encoder's output,
 * so a format's text and byte writers agree byte for byte.
 *
 * A writer is loaded with one chunk, then asked for its rows; both happen within one
 * synchronous call, so a writer shared by the requests of one statement is never loaded
 * with two chunks at once.
 */
import { DuckDBTypeId, type DuckDBDataChunk, type DuckDBType, type DuckDBValue, type DuckDBVector } from '@duckdb/node-api';
import type { ByteSink } from './byte-sink.js';
import { BOOL_IS_BYTE, int32View, int64At, isValid, rawColumn, StringItems, uint64At, type RawColumn } from './raw-vectors.js';
import { writeDate, writeTimestamp } from './temporal-bytes.js';
import { dateText, timestampMicrosText } from './temporal-text.js';

export interface ColumnBytes {
  load(chunk: DuckDBDataChunk, column: number, rowCount: number): void;
  write(sink: ByteSink, row: number): void;
}

/** What differs between JSON and CSV for the types written from memory. */
export interface ByteDialect {
  /** For NULL and for non-finite doubles. */
  nullText: string;
  /** Dates and timestamps between double quotes. */
  quoteTemporal: boolean;
  /** 64-bit integers within ±2^53 between double quotes. */
  quoteSafeInt: boolean;
  /** 64-bit integers beyond ±2^53 between double quotes. */
  quoteWideInt: boolean;
  /** A VARCHAR's UTF-8; false (nothing written) when only the decoded text can be written. */
  string(sink: ByteSink, bytes: Uint8Array, start: number, length: number): boolean;
}

type TextOf = (value: DuckDBValue) => string;

/** Every value through the column's text encoder. */
export function encodedColumn(encode: TextOf): ColumnBytes {
  let vector: DuckDBVector | undefined;
  return {
    load(chunk, column) {
      vector = chunk.getColumnVector(column);
    },
    write(sink, row) {
      sink.text(encode(vector!.getItem(row)));
    },
  };
}

/**
 * Shared by the writers below: a chunk's raw column, and the node-api vector for the rare
 * value that goes through the text encoder.
 */
class Loaded {
  raw: RawColumn = { data: new Uint8Array(0), validity: null };
  private chunk: DuckDBDataChunk | undefined;
  private column = 0;
  private vector: DuckDBVector | undefined;

  load(chunk: DuckDBDataChunk, column: number, rowCount: number, width: number): void {
    this.raw = rawColumn(chunk, column, rowCount, width);
    this.chunk = chunk;
    this.column = column;
    this.vector = undefined;
  }

  item(row: number): DuckDBValue {
    this.vector ??= this.chunk!.getColumnVector(this.column);
    return this.vector.getItem(row);
  }
}

type IntArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;
type IntArrayOf = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => IntArray;

const SMALL_INTS = new Map<DuckDBTypeId, IntArrayOf>([
  [DuckDBTypeId.TINYINT, Int8Array],
  [DuckDBTypeId.SMALLINT, Int16Array],
  [DuckDBTypeId.INTEGER, Int32Array],
  [DuckDBTypeId.UTINYINT, Uint8Array],
  [DuckDBTypeId.USMALLINT, Uint16Array],
  [DuckDBTypeId.UINTEGER, Uint32Array],
]);

function smallIntColumn(View: IntArrayOf, nullText: string): ColumnBytes {
  const width = (View as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const at = new Loaded();
  let items: IntArray = new Int32Array(0);
  return {
    load(chunk, column, rowCount) {
      at.load(chunk, column, rowCount, width);
      items = new View(at.raw.data.buffer, at.raw.data.byteOffset, rowCount);
    },
    write(sink, row) {
      if (isValid(at.raw.validity, row)) sink.int(items[row]!);
      else sink.ascii(nullText);
    },
  };
}

function booleanColumn(nullText: string): ColumnBytes {
  const at = new Loaded();
  return {
    load: (chunk, column, rowCount) => at.load(chunk, column, rowCount, 1),
    write(sink, row) {
      if (!isValid(at.raw.validity, row)) sink.ascii(nullText);
      else sink.ascii(at.raw.data[row] !== 0 ? 'true' : 'false');
    },
  };
}

function int64Column(unsigned: boolean, dialect: ByteDialect): ColumnBytes {
  const at = new Loaded();
  let words: Int32Array = new Int32Array(0);
  const read = unsigned ? uint64At : int64At;
  return {
    load(chunk, column, rowCount) {
      at.load(chunk, column, rowCount, 8);
      words = int32View(at.raw, rowCount);
    },
    write(sink, row) {
      if (!isValid(at.raw.validity, row)) return sink.ascii(dialect.nullText);
      const n = read(words, row);
      const safe = n === n;
      const quote = safe ? dialect.quoteSafeInt : dialect.quoteWideInt;
      if (quote) sink.byte(34);
      if (safe) sink.int(n);
      else sink.ascii(String(at.item(row)));
      if (quote) sink.byte(34);
    },
  };
}

function doubleColumn(nullText: string): ColumnBytes {
  const at = new Loaded();
  let items: Float64Array = new Float64Array(0);
  return {
    load(chunk, column, rowCount) {
      at.load(chunk, column, rowCount, 8);
      items = new Float64Array(at.raw.data.buffer, at.raw.data.byteOffset, rowCount);
    },
    write(sink, row) {
      const n = items[row]!;
      if (!isValid(at.raw.validity, row) || !Number.isFinite(n)) sink.ascii(nullText);
      else if (Number.isSafeInteger(n)) sink.int(n);
      else sink.ascii(String(n));
    },
  };
}

function dateColumn(dialect: ByteDialect): ColumnBytes {
  const at = new Loaded();
  let days: Int32Array = new Int32Array(0);
  return {
    load(chunk, column, rowCount) {
      at.load(chunk, column, rowCount, 4);
      days = new Int32Array(at.raw.data.buffer, at.raw.data.byteOffset, rowCount);
    },
    write(sink, row) {
      if (!isValid(at.raw.validity, row)) return sink.ascii(dialect.nullText);
      if (dialect.quoteTemporal) sink.byte(34);
      if (!writeDate(sink, days[row]!)) sink.ascii(dateText(days[row]!));
      if (dialect.quoteTemporal) sink.byte(34);
    },
  };
}

function timestampColumn(dialect: ByteDialect, suffix: string): ColumnBytes {
  const at = new Loaded();
  let words: Int32Array = new Int32Array(0);
  let micros: BigInt64Array = new BigInt64Array(0);
  return {
    load(chunk, column, rowCount) {
      at.load(chunk, column, rowCount, 8);
      words = int32View(at.raw, rowCount);
      micros = new BigInt64Array(at.raw.data.buffer, at.raw.data.byteOffset, rowCount);
    },
    write(sink, row) {
      if (!isValid(at.raw.validity, row)) return sink.ascii(dialect.nullText);
      if (dialect.quoteTemporal) sink.byte(34);
      const n = int64At(words, row);
      if (n === n && writeTimestamp(sink, n)) {
        if (suffix !== '') sink.ascii(suffix);
      } else sink.ascii(timestampMicrosText(micros[row]!, suffix));
      if (dialect.quoteTemporal) sink.byte(34);
    },
  };
}

function varcharColumn(dialect: ByteDialect, fallback: TextOf): ColumnBytes {
  const at = new Loaded();
  const strings = new StringItems();
  return {
    load(chunk, column, rowCount) {
      at.load(chunk, column, rowCount, 16);
      strings.load(at.raw, rowCount);
    },
    write(sink, row) {
      if (!isValid(at.raw.validity, row)) return sink.ascii(dialect.nullText);
      strings.at(row);
      if (!dialect.string(sink, strings.bytes, strings.start, strings.length)) sink.text(fallback(at.item(row)));
    },
  };
}

/**
 * The byte writer for a column of `type`, or undefined when its values only go through
 * the text encoder (`fallback` is that encoder, for the values a memory writer refuses).
 */
export function memoryColumn(type: DuckDBType, dialect: ByteDialect, fallback: TextOf): ColumnBytes | undefined {
  // An alias (JSON, user types) may change how values are written: the text encoder decides.
  if (type.alias !== undefined) return undefined;
  const small = SMALL_INTS.get(type.typeId);
  if (small !== undefined) return smallIntColumn(small, dialect.nullText);
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return BOOL_IS_BYTE ? booleanColumn(dialect.nullText) : undefined;
    case DuckDBTypeId.BIGINT:
      return int64Column(false, dialect);
    case DuckDBTypeId.UBIGINT:
      return int64Column(true, dialect);
    case DuckDBTypeId.DOUBLE:
      return doubleColumn(dialect.nullText);
    case DuckDBTypeId.DATE:
      return dateColumn(dialect);
    case DuckDBTypeId.TIMESTAMP:
      return timestampColumn(dialect, '');
    case DuckDBTypeId.TIMESTAMP_TZ:
      return timestampColumn(dialect, 'Z');
    case DuckDBTypeId.VARCHAR:
      return varcharColumn(dialect, fallback);
    default:
      return undefined;
  }
}
