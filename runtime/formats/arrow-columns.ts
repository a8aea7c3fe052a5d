/**
 * DuckDB columns → Arrow column data, one chunk at a time, written straight into typed
 * arrays (no per-value builders, no loss: timestamps keep their unit, DECIMAL stays a 128-bit
 * decimal, BIGINT stays 64-bit). Types without a simple Arrow twin (nested, INTERVAL, UUID,
 * BLOB, TIME, ...) are sent as UTF-8 text in the JSON mapping.
 */
import {
  Bool, DataType, DateDay, Decimal, Field, Float32, Float64, Int16, Int32, Int64, Int8,
  TimeUnit, Timestamp, Uint16, Uint32, Uint64, Uint8, Utf8, makeData, type Data,
} from 'apache-arrow';
import {
  DuckDBTypeId, type DuckDBDateValue, type DuckDBDecimalType, type DuckDBDecimalValue, type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampNanosecondsValue, type DuckDBTimestampSecondsValue, type DuckDBTimestampValue, type DuckDBValue, type DuckDBVector,
} from '@duckdb/node-api';
import { createValueConverter, type ResultColumn } from '../serialize/index.js';

export interface ArrowColumn {
  field: Field;
  build(vector: DuckDBVector, rowCount: number): Data;
}

/** A typed array whose elements are `T` (number for 8–32-bit and float types, bigint for 64-bit). */
type TypedArrayOf<T extends number | bigint> = new (length: number) => { [index: number]: T };

interface Validity {
  bitmap: Uint8Array;
  nullCount: number;
}

function newValidity(rowCount: number): Validity {
  return { bitmap: new Uint8Array((rowCount + 7) >> 3), nullCount: 0 };
}

function markValid(validity: Validity, index: number): void {
  validity.bitmap[index >> 3]! |= 1 << (index & 7);
}

/** Fixed-width values written straight into a typed array, with a validity bitmap. */
function fixedWidthColumn<T extends number | bigint>(
  name: string,
  type: DataType,
  ArrayType: TypedArrayOf<T>,
  read: (value: DuckDBValue) => T,
): ArrowColumn {
  return {
    field: new Field(name, type, true),
    build(vector, rowCount) {
      const data = new ArrayType(rowCount);
      const validity = newValidity(rowCount);
      for (let i = 0; i < rowCount; i++) {
        const value = vector.getItem(i);
        if (value === null) validity.nullCount++;
        else {
          data[i] = read(value);
          markValid(validity, i);
        }
      }
      return makeData({ type, length: rowCount, nullCount: validity.nullCount, nullBitmap: validity.bitmap, data } as never);
    },
  };
}

function numberColumn(name: string, type: DataType, ArrayType: TypedArrayOf<number>, read: (value: DuckDBValue) => number = Number): ArrowColumn {
  return fixedWidthColumn(name, type, ArrayType, read);
}

function bigintColumn(name: string, type: DataType, unsigned: boolean, read: (value: DuckDBValue) => bigint): ArrowColumn {
  return fixedWidthColumn(name, type, unsigned ? BigUint64Array : BigInt64Array, read);
}

function boolColumn(name: string): ArrowColumn {
  const type = new Bool();
  return {
    field: new Field(name, type, true),
    build(vector, rowCount) {
      const data = new Uint8Array((rowCount + 7) >> 3);
      const validity = newValidity(rowCount);
      for (let i = 0; i < rowCount; i++) {
        const value = vector.getItem(i);
        if (value === null) validity.nullCount++;
        else {
          if (value) data[i >> 3]! |= 1 << (i & 7);
          markValid(validity, i);
        }
      }
      return makeData({ type, length: rowCount, nullCount: validity.nullCount, nullBitmap: validity.bitmap, data });
    },
  };
}

function decimalColumn(name: string, duck: DuckDBDecimalType): ArrowColumn {
  const type = new Decimal(duck.scale, duck.width, 128);
  return {
    field: new Field(name, type, true),
    build(vector, rowCount) {
      const words = new BigUint64Array(rowCount * 2);
      const validity = newValidity(rowCount);
      for (let i = 0; i < rowCount; i++) {
        const value = vector.getItem(i) as DuckDBDecimalValue | null;
        if (value === null) validity.nullCount++;
        else {
          // Little-endian two's complement across two 64-bit words.
          words[2 * i] = BigInt.asUintN(64, value.value);
          words[2 * i + 1] = BigInt.asUintN(64, value.value >> 64n);
          markValid(validity, i);
        }
      }
      const data = new Uint32Array(words.buffer);
      return makeData({ type, length: rowCount, nullCount: validity.nullCount, nullBitmap: validity.bitmap, data });
    },
  };
}

function utf8Column(name: string, text: (value: DuckDBValue) => string | null): ArrowColumn {
  const type = new Utf8();
  return {
    field: new Field(name, type, true),
    build(vector, rowCount) {
      const offsets = new Int32Array(rowCount + 1);
      const parts: Buffer[] = [];
      const validity = newValidity(rowCount);
      let offset = 0;
      for (let i = 0; i < rowCount; i++) {
        const value = text(vector.getItem(i));
        if (value === null) validity.nullCount++;
        else {
          const bytes = Buffer.from(value);
          parts.push(bytes);
          offset += bytes.length;
          markValid(validity, i);
        }
        offsets[i + 1] = offset;
      }
      const data = parts.length === 0 ? new Uint8Array(0) : Buffer.concat(parts, offset);
      return makeData({ type, length: rowCount, nullCount: validity.nullCount, nullBitmap: validity.bitmap, valueOffsets: offsets, data });
    },
  };
}

const timestampMicros = (v: DuckDBValue) => (v as DuckDBTimestampValue).micros;

export function arrowColumn(column: ResultColumn): ArrowColumn {
  const { name, type } = column;
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN: return boolColumn(name);
    case DuckDBTypeId.TINYINT: return numberColumn(name, new Int8(), Int8Array);
    case DuckDBTypeId.SMALLINT: return numberColumn(name, new Int16(), Int16Array);
    case DuckDBTypeId.INTEGER: return numberColumn(name, new Int32(), Int32Array);
    case DuckDBTypeId.UTINYINT: return numberColumn(name, new Uint8(), Uint8Array);
    case DuckDBTypeId.USMALLINT: return numberColumn(name, new Uint16(), Uint16Array);
    case DuckDBTypeId.UINTEGER: return numberColumn(name, new Uint32(), Uint32Array);
    case DuckDBTypeId.FLOAT: return numberColumn(name, new Float32(), Float32Array);
    case DuckDBTypeId.DOUBLE: return numberColumn(name, new Float64(), Float64Array);
    case DuckDBTypeId.DATE: return numberColumn(name, new DateDay(), Int32Array, (v) => (v as DuckDBDateValue).days);
    case DuckDBTypeId.BIGINT: return bigintColumn(name, new Int64(), false, (v) => v as bigint);
    case DuckDBTypeId.UBIGINT: return bigintColumn(name, new Uint64(), true, (v) => v as bigint);
    case DuckDBTypeId.TIMESTAMP: return bigintColumn(name, new Timestamp(TimeUnit.MICROSECOND), false, timestampMicros);
    case DuckDBTypeId.TIMESTAMP_TZ: return bigintColumn(name, new Timestamp(TimeUnit.MICROSECOND, 'UTC'), false, timestampMicros);
    case DuckDBTypeId.TIMESTAMP_S:
      return bigintColumn(name, new Timestamp(TimeUnit.SECOND), false, (v) => (v as DuckDBTimestampSecondsValue).seconds);
    case DuckDBTypeId.TIMESTAMP_MS:
      return bigintColumn(name, new Timestamp(TimeUnit.MILLISECOND), false, (v) => (v as DuckDBTimestampMillisecondsValue).millis);
    case DuckDBTypeId.TIMESTAMP_NS:
      return bigintColumn(name, new Timestamp(TimeUnit.NANOSECOND), false, (v) => (v as DuckDBTimestampNanosecondsValue).nanos);
    case DuckDBTypeId.DECIMAL: return decimalColumn(name, type as DuckDBDecimalType);
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
      return utf8Column(name, (v) => v as string | null);
    default: {
      const convert = createValueConverter(type);
      return utf8Column(name, (v) => {
        const json = convert(v);
        return json === null ? null : typeof json === 'string' ? json : JSON.stringify(json);
      });
    }
  }
}
