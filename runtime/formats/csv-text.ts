/**
 * CSV (RFC 4180) text for result chunks: a field is quoted when it holds a comma, quote, CR
 * or LF, quotes are doubled, records end with CRLF. NULL is an empty field and the empty
 * string is `""`, so the two stay distinguishable. Values use the JSON mapping; nested values
 * are written as their JSON text.
 */
import { DuckDBTypeId, type DuckDBDataChunk, type DuckDBValue } from '@duckdb/node-api';
import { createValueConverter, type ResultColumn } from '../serialize/index.js';

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

function encoderFor(column: ResultColumn): FieldEncoder {
  switch (column.type.typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
      return stringField;
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UHUGEINT:
      return plainField;
    case DuckDBTypeId.DOUBLE:
      return doubleField;
    default: {
      const convert = createValueConverter(column.type);
      return (value) => {
        const json = convert(value);
        if (json === null) return '';
        if (typeof json === 'string') return csvField(json);
        if (typeof json === 'object') return csvField(JSON.stringify(json));
        return String(json);
      };
    }
  }
}

export interface CsvTextWriter {
  header(): string;
  rowsText(chunk: DuckDBDataChunk): string;
}

export function createCsvTextWriter(columns: readonly ResultColumn[]): CsvTextWriter {
  const encoders = columns.map(encoderFor);
  const columnCount = columns.length;
  return {
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
