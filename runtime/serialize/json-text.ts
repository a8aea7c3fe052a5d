/**
 * Result chunks → JSON text, without building row objects first.
 *
 * Each column gets a text encoder chosen from its type once; object keys are encoded once
 * per result. The output is byte-identical to `JSON.stringify` of the rows that
 * `createJsonRowConverter` builds, so buffered and streamed responses agree.
 */
import {
  DuckDBTypeId,
  type DuckDBDataChunk,
  type DuckDBDateValue,
  type DuckDBTimestampTZValue,
  type DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { ByteSink } from './byte-sink.js';
import { encodedColumn, memoryColumn, type ByteDialect, type ColumnBytes } from './column-bytes.js';
import { EncodedColumn } from './encoded-column.js';
import { RowLayout } from './row-bytes.js';
import type { ResultColumn } from './row-converter.js';
import { putJsonString } from './string-bytes.js';
import { dateText, timestampMicrosText } from './temporal-text.js';
import { createValueConverter } from './value-converter.js';
import { wireTypeOf, type BigintMode } from './wire-types.js';

type TextEncoder = (value: DuckDBValue) => string;

export interface JsonTextWriter {
  /** JSON text of the chunk's rows as objects, each followed by `separator` except the last. */
  rowsText(chunk: DuckDBDataChunk, separator: string): string;
  /**
   * JSON text of each row of the chunk on its own, with its index (columns past the
   * writer's are ignored); rows `want` says no to are skipped without being written.
   */
  eachRowText(chunk: DuckDBDataChunk, visit: (text: string, row: number) => void, want?: (row: number) => boolean): void;
  /** The same text as UTF-8 bytes, appended to `sink`: the cheaper way for large results. */
  writeRows(chunk: DuckDBDataChunk, separator: string, sink: ByteSink): void;
}

function stringText(value: DuckDBValue): string {
  return value === null ? 'null' : JSON.stringify(value);
}

function plainText(value: DuckDBValue): string {
  return value === null ? 'null' : String(value);
}

/** JSON.stringify of the value converter's integers, per `serialization.bigint`. */
const INTEGER_TEXT: Record<BigintMode, TextEncoder> = {
  auto(value) {
    if (value === null) return 'null';
    if (typeof value !== 'bigint') return String(value);
    const text = String(value);
    return Number.isSafeInteger(Number(value)) ? text : `"${text}"`;
  },
  number: (value) => (value === null ? 'null' : String(value)),
  string: (value) => (value === null ? 'null' : `"${String(value)}"`),
};

// Temporal text is digits, signs, `T`, `:`, `.`, `Z` or `infinity`: quoting needs no escaping.
function dateJson(value: DuckDBValue): string {
  return value === null ? 'null' : `"${dateText((value as DuckDBDateValue).days)}"`;
}

function timestampJson(value: DuckDBValue): string {
  return value === null ? 'null' : `"${timestampMicrosText((value as DuckDBTimestampValue).micros)}"`;
}

function timestampTzJson(value: DuckDBValue): string {
  return value === null ? 'null' : `"${timestampMicrosText((value as DuckDBTimestampTZValue).micros, 'Z')}"`;
}

function doubleText(value: DuckDBValue): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : 'null';
}

function generic(column: ResultColumn, bigint: BigintMode): TextEncoder {
  const convert = createValueConverter(column.type, bigint);
  return (value) => JSON.stringify(convert(value));
}

/** Direct text for the common kinds (runtime/serialize/wire-types.ts); the converter for the rest. */
function encoderFor(column: ResultColumn, bigint: BigintMode): TextEncoder {
  const id = column.type.typeId;
  switch (wireTypeOf(column.type).kind) {
    case 'text':
      return stringText;
    case 'boolean':
    case 'int':
      return plainText;
    case 'float':
      return id === DuckDBTypeId.DOUBLE ? doubleText : generic(column, bigint);
    case 'wide-int':
      return id === DuckDBTypeId.BIGNUM ? generic(column, bigint) : INTEGER_TEXT[bigint];
    case 'date':
      return dateJson;
    case 'timestamp':
      return id === DuckDBTypeId.TIMESTAMP ? timestampJson : generic(column, bigint);
    case 'timestamp-tz':
      return timestampTzJson;
    default:
      return generic(column, bigint);
  }
}

function dialectOf(bigint: BigintMode): ByteDialect {
  return {
    nullText: 'null',
    quoteTemporal: true,
    quoteSafeInt: bigint === 'string',
    quoteWideInt: bigint !== 'number',
    string: putJsonString,
    stringGrowth: 6,
  };
}

const SEPARATORS = new Map<string, Uint8Array>();

function separatorBytes(separator: string): Uint8Array {
  let bytes = SEPARATORS.get(separator);
  if (bytes === undefined) {
    bytes = Buffer.from(separator, 'utf8');
    if (SEPARATORS.size < 8) SEPARATORS.set(separator, bytes);
  }
  return bytes;
}

export function createJsonTextWriter(columns: readonly ResultColumn[], bigint: BigintMode = 'auto'): JsonTextWriter {
  const encoders = columns.map((column) => encoderFor(column, bigint));
  const keys = columns.map((column, i) => `${i === 0 ? '{' : ','}${JSON.stringify(column.name)}:`);
  const columnCount = columns.length;
  let bytes: { columns: ColumnBytes[]; encoded: EncodedColumn[]; layout: RowLayout } | undefined;
  // Built on first use: a writer that only ever answers point lookups never needs them.
  const byteColumns = () => {
    const dialect = dialectOf(bigint);
    return {
      columns: columns.map((column, i) => memoryColumn(column.type, dialect, encoders[i]!) ?? encodedColumn(encoders[i]!)),
      encoded: columns.map(() => new EncodedColumn()),
      layout: new RowLayout(keys, '}'),
    };
  };
  return {
    writeRows(chunk, separator, sink) {
      const rowCount = chunk.rowCount;
      if (columnCount === 0) return sink.text(new Array<string>(rowCount).fill('{}').join(separator));
      bytes ??= byteColumns();
      for (let c = 0; c < columnCount; c++) bytes.columns[c]!.encode(chunk, c, rowCount, bytes.encoded[c]!);
      bytes.layout.write(sink, bytes.encoded, rowCount, separatorBytes(separator));
    },
    rowsText(chunk, separator) {
      const rowCount = chunk.rowCount;
      if (columnCount === 0) return new Array<string>(rowCount).fill('{}').join(separator);
      const vectors = columns.map((_, c) => chunk.getColumnVector(c));
      let text = '';
      for (let r = 0; r < rowCount; r++) {
        if (r > 0) text += separator;
        for (let c = 0; c < columnCount; c++) text += keys[c]! + encoders[c]!(vectors[c]!.getItem(r));
        text += '}';
      }
      return text;
    },
    eachRowText(chunk, visit, want) {
      const rowCount = chunk.rowCount;
      const vectors = columns.map((_, c) => chunk.getColumnVector(c));
      for (let r = 0; r < rowCount; r++) {
        if (want !== undefined && !want(r)) continue;
        let text = columnCount === 0 ? '{' : '';
        for (let c = 0; c < columnCount; c++) text += keys[c]! + encoders[c]!(vectors[c]!.getItem(r));
        visit(`${text}}`, r);
      }
    },
  };
}
