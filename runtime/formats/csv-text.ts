/**
 * CSV (RFC 4180) text for result chunks: a field is quoted when it holds a comma, quote, CR
 * or LF, quotes are doubled, records end with CRLF. NULL is an empty field and the empty
 * string is `""`, so the two stay distinguishable. Values use the JSON mapping; nested values
 * are written as their JSON text.
 */
import { DuckDBTypeId, type DuckDBDataChunk, type DuckDBValue } from '@duckdb/node-api';
import {
  createValueConverter,
  EncodedColumn,
  encodedColumn,
  memoryColumn,
  putCsvField,
  RowLayout,
  wireTypeOfId,
  type ByteDialect,
  type ByteSink,
  type ColumnBytes,
  type ResultColumn,
} from '../serialize/index.js';

type FieldEncoder = (value: DuckDBValue) => string;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(text: string): string {
  if (text === '') return '""';
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function stringField(value: DuckDBValue): string {
  return value === null ? '' : csvField(value as string);
}

function plainField(value: DuckDBValue): string {
  return value === null ? '' : String(value);
}

function doubleField(value: DuckDBValue): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}

function generic(column: ResultColumn): FieldEncoder {
  const convert = createValueConverter(column.type);
  return (value) => {
    const json = convert(value);
    if (json === null) return '';
    if (typeof json === 'string') return csvField(json);
    if (typeof json === 'object') return csvField(JSON.stringify(json));
    return String(json);
  };
}

/** Direct fields for the common kinds (runtime/serialize/wire-types.ts); the converter for the rest. */
function encoderFor(column: ResultColumn): FieldEncoder {
  const id = column.type.typeId;
  switch (wireTypeOfId(id).kind) {
    case 'text':
      return stringField;
    case 'boolean':
    case 'int':
      return plainField;
    // Every digit, however wide: CSV has no number type to lose precision in.
    case 'wide-int':
      return id === DuckDBTypeId.BIGNUM ? generic(column) : plainField;
    case 'float':
      return id === DuckDBTypeId.DOUBLE ? doubleField : generic(column);
    default:
      return generic(column);
  }
}

export interface CsvTextWriter {
  header(): string;
  rowsText(chunk: DuckDBDataChunk): string;
  /** The same text as UTF-8 bytes, appended to `sink`: the cheaper way for large results. */
  writeRows(chunk: DuckDBDataChunk, sink: ByteSink): void;
}

const CSV_BYTES: ByteDialect = {
  nullText: '',
  quoteTemporal: false,
  quoteSafeInt: false,
  quoteWideInt: false,
  string: putCsvField,
  stringGrowth: 2,
};

const NO_SEPARATOR = new Uint8Array(0);

export function createCsvTextWriter(columns: readonly ResultColumn[]): CsvTextWriter {
  const encoders = columns.map(encoderFor);
  const columnCount = columns.length;
  let bytes: { columns: ColumnBytes[]; encoded: EncodedColumn[]; layout: RowLayout } | undefined;
  return {
    writeRows(chunk, sink) {
      const rowCount = chunk.rowCount;
      bytes ??= {
        columns: columns.map((column, c) => memoryColumn(column.type, CSV_BYTES, encoders[c]!) ?? encodedColumn(encoders[c]!)),
        encoded: columns.map(() => new EncodedColumn()),
        layout: new RowLayout(columns.map((_, c) => (c === 0 ? '' : ',')), '\r\n'),
      };
      for (let c = 0; c < columnCount; c++) bytes.columns[c]!.encode(chunk, c, rowCount, bytes.encoded[c]!);
      bytes.layout.write(sink, bytes.encoded, rowCount, NO_SEPARATOR);
    },
    header: () => `${columns.map((column) => csvField(column.name)).join(',')}\r\n`,
    rowsText(chunk) {
      const rowCount = chunk.rowCount;
      const vectors = columns.map((_, c) => chunk.getColumnVector(c));
      let text = '';
      for (let r = 0; r < rowCount; r++) {
        for (let c = 0; c < columnCount; c++) {
          if (c > 0) text += ',';
          text += encoders[c]!(vectors[c]!.getItem(r));
        }
        text += '\r\n';
      }
      return text;
    },
  };
}
