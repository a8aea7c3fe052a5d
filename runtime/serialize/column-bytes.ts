/**
 * Column encoders for large results: the common types (integers, BOOLEAN, DOUBLE, DATE,
 * TIMESTAMP[TZ], VARCHAR) straight from the vector's memory (raw-vectors.ts); every other
 * type, and any value those refuse, through the column's text encoder on the value
 * `@duckdb/node-api` reads. The bytes are the UTF-8 of that text encoder's output, so a
 * format's text and byte writers agree byte for byte.
 */
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { isNull, openColumn, putText, type ByteDialect, type ColumnBytes, type TextOf } from './column-encoding.js';
import { putAscii } from './encoded-column.js';
import { booleanColumn, doubleColumn, int64Column, SMALL_INTS, smallIntColumn } from './number-columns.js';
import { BOOL_IS_BYTE, outOfLine } from './raw-vectors.js';
import { dateColumn, timestampColumn } from './temporal-columns.js';

export type { ByteDialect, ColumnBytes } from './column-encoding.js';

/** Every value through the column's text encoder. */
export function encodedColumn(encode: TextOf): ColumnBytes {
  return {
    encode(chunk, column, rowCount, out) {
      const vector = chunk.getColumnVector(column);
      out.start(rowCount);
      const ends = out.ends;
      let pos = 0;
      for (let r = 0; r < rowCount; r++) {
        pos = putText(out, pos, encode(vector.getItem(r)));
        ends[r] = pos;
      }
    },
  };
}

function varcharColumn(dialect: ByteDialect, fallback: TextOf): ColumnBytes {
  const { nullText, stringGrowth, string } = dialect;
  // What an inline string (12 bytes at most) or NULL can take.
  const inlineRoom = Math.max(12 * stringGrowth + 2, nullText.length);
  return {
    encode(chunk, column, rowCount, out) {
      const raw = openColumn(chunk, column, rowCount, 16, Int32Array, out, inlineRoom);
      const { data, validity, items: lengths } = raw;
      const ends = out.ends;
      let buf = raw.buf;
      let pos = 0;
      for (let r = 0; r < rowCount; r++) {
        let end: number;
        if (isNull(validity, r)) end = putAscii(buf, pos, nullText);
        else {
          const length = lengths[r * 4]!;
          if (length <= 12) end = string(buf, pos, data, r * 16 + 4, length);
          else {
            buf = out.room(pos, length * stringGrowth + 2 + (rowCount - r) * inlineRoom);
            end = string(buf, pos, outOfLine(raw, r, length), 0, length);
          }
          if (end < 0) {
            end = putText(out, pos, fallback(chunk.getColumnVector(column).getItem(r)));
            buf = out.room(end, (rowCount - r) * inlineRoom);
          }
        }
        ends[r] = pos = end;
      }
    },
  };
}

/**
 * The encoder for a column of `type` from memory, or undefined when its values only go
 * through the text encoder (`fallback` is that encoder, for the values one refuses).
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
