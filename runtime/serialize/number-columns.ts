/**
 * Integer, BOOLEAN and DOUBLE columns encoded from the vector's memory, as their text
 * encoders write them: `String(n)` digits, 64-bit integers beyond ±2^53 exactly (and
 * quoted where the dialect says), non-finite doubles as the dialect's NULL.
 */
import { DuckDBTypeId } from '@duckdb/node-api';
import { isNull, openColumn, type ByteDialect, type ColumnBytes, type ItemsOf } from './column-encoding.js';
import { putAscii, putInt } from './encoded-column.js';
import { SAFE_HIGH, TWO_32 } from './raw-vectors.js';

type IntArrayOf = ItemsOf<ArrayLike<number>>;

/** The 8–32-bit integers, by the typed array their items are. */
export const SMALL_INTS = new Map<DuckDBTypeId, IntArrayOf>([
  [DuckDBTypeId.TINYINT, Int8Array],
  [DuckDBTypeId.SMALLINT, Int16Array],
  [DuckDBTypeId.INTEGER, Int32Array],
  [DuckDBTypeId.UTINYINT, Uint8Array],
  [DuckDBTypeId.USMALLINT, Uint16Array],
  [DuckDBTypeId.UINTEGER, Uint32Array],
]);

export function smallIntColumn(View: IntArrayOf, nullText: string): ColumnBytes {
  return {
    encode(chunk, column, rowCount, out) {
      const { items, validity, buf } = openColumn(chunk, column, rowCount, View.BYTES_PER_ELEMENT, View, out, Math.max(11, nullText.length));
      const ends = out.ends;
      let pos = 0;
      for (let r = 0; r < rowCount; r++) {
        pos = isNull(validity, r) ? putAscii(buf, pos, nullText) : putInt(buf, pos, items[r]!);
        ends[r] = pos;
      }
    },
  };
}

export function booleanColumn(nullText: string): ColumnBytes {
  return {
    encode(chunk, column, rowCount, out) {
      const { items, validity, buf } = openColumn(chunk, column, rowCount, 1, Uint8Array, out, Math.max(5, nullText.length));
      const ends = out.ends;
      let pos = 0;
      for (let r = 0; r < rowCount; r++) {
        pos = putAscii(buf, pos, isNull(validity, r) ? nullText : items[r] !== 0 ? 'true' : 'false');
        ends[r] = pos;
      }
    },
  };
}

export function int64Column(unsigned: boolean, dialect: ByteDialect): ColumnBytes {
  const { nullText, quoteSafeInt, quoteWideInt } = dialect;
  return {
    encode(chunk, column, rowCount, out) {
      // 20 digits and a sign, two quotes.
      const { data, items: words, validity, buf } = openColumn(chunk, column, rowCount, 8, Int32Array, out, Math.max(23, nullText.length));
      const ends = out.ends;
      let pos = 0;
      for (let r = 0; r < rowCount; r++) {
        if (isNull(validity, r)) pos = putAscii(buf, pos, nullText);
        else {
          const high = unsigned ? words[2 * r + 1]! >>> 0 : words[2 * r + 1]!;
          const n = high * TWO_32 + (words[2 * r]! >>> 0);
          if (high < SAFE_HIGH && high >= -SAFE_HIGH && n !== -9_007_199_254_740_992) {
            if (quoteSafeInt) buf[pos++] = 34;
            pos = putInt(buf, pos, n);
            if (quoteSafeInt) buf[pos++] = 34;
          } else {
            const Wide = unsigned ? BigUint64Array : BigInt64Array;
            if (quoteWideInt) buf[pos++] = 34;
            pos = putAscii(buf, pos, String(new Wide(data.buffer as ArrayBuffer, data.byteOffset, rowCount)[r]!));
            if (quoteWideInt) buf[pos++] = 34;
          }
        }
        ends[r] = pos;
      }
    },
  };
}

export function doubleColumn(nullText: string): ColumnBytes {
  return {
    encode(chunk, column, rowCount, out) {
      // The longest String(number): -1.2345678901234567e-308.
      const { items, validity, buf } = openColumn(chunk, column, rowCount, 8, Float64Array, out, Math.max(24, nullText.length));
      const ends = out.ends;
      let pos = 0;
      for (let r = 0; r < rowCount; r++) {
        const n = items[r]!;
        if (isNull(validity, r) || !Number.isFinite(n)) pos = putAscii(buf, pos, nullText);
        else if (Number.isSafeInteger(n)) pos = putInt(buf, pos, n);
        else pos = putAscii(buf, pos, String(n));
        ends[r] = pos;
      }
    },
  };
}
