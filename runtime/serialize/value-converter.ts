/**
 * DuckDB value → JSON value, chosen once per column type.
 *
 * `createValueConverter(type)` walks the type a single time and returns a closure for it,
 * nested types included, so converting a row never dispatches on the type id again. The
 * mapping is the HTTP contract (SPEC §5): integers beyond ±2^53 and DECIMALs as exact
 * strings, ISO-8601 temporal text, nested types as arrays/objects, UUID text, BLOB base64,
 * non-finite floats as null.
 */
import {
  DuckDBArrayType,
  DuckDBArrayValue,
  DuckDBBitValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBGeometryValue,
  DuckDBIntervalValue,
  DuckDBListType,
  DuckDBListValue,
  DuckDBMapType,
  DuckDBMapValue,
  DuckDBStructType,
  DuckDBStructValue,
  DuckDBTimeNSValue,
  DuckDBTimeTZValue,
  DuckDBTimeValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  DuckDBUnionType,
  DuckDBUnionValue,
  DuckDBUUIDValue,
  DuckDBVariantValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { JsonValue } from './json-value.js';
import { wireTypeOf, type BigintMode } from './wire-types.js';
import { wkbText } from './wkb-text.js';
import {
  dateText,
  intervalText,
  offsetText,
  timeOfDayNanosText,
  timeOfDayText,
  timestampMicrosText,
  timestampNanosText,
} from './temporal-text.js';

/** Converts one value of a fixed DuckDB type; `null` in, `null` out. */
export type ValueConverter = (value: DuckDBValue) => JsonValue;

const INT64_MAX = 9_223_372_036_854_775_807n;

/** Returned for types whose values already are JSON; callers may skip calling it. */
export const passThroughConverter: ValueConverter = (value) => value as JsonValue;
const identity = passThroughConverter;

function finiteNumber(value: DuckDBValue): JsonValue {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Shortest decimal text that reads back as the same float32 (0.1, not 0.10000000149). */
function float32Number(value: DuckDBValue): JsonValue {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  for (let precision = 1; precision < 10; precision++) {
    const candidate = Number(value.toPrecision(precision));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

/** A number when exactly representable, else the decimal string. */
export function bigintJson(value: bigint): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value.toString();
}

const INTEGER_JSON: Record<BigintMode, (value: DuckDBValue) => JsonValue> = {
  auto: (value) => (value === null ? null : typeof value === 'bigint' ? bigintJson(value) : (value as number)),
  number: (value) => (value === null ? null : Number(value)),
  string: (value) => (value === null ? null : String(value)),
};

/** A JSON column's document, nested; text DuckDB let through that is not JSON stays text. */
function jsonDocument(value: DuckDBValue): JsonValue {
  if (value === null) return null;
  try {
    return JSON.parse(value as string) as JsonValue;
  } catch {
    return value as string;
  }
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function nonNull(convert: (value: never) => JsonValue): ValueConverter {
  return (value) => (value === null ? null : convert(value as never));
}

function secondsText(seconds: bigint): string {
  if (seconds === INT64_MAX) return 'infinity';
  if (seconds === -INT64_MAX) return '-infinity';
  return timestampMicrosText(seconds * 1_000_000n);
}

function millisText(millis: bigint): string {
  if (millis === INT64_MAX) return 'infinity';
  if (millis === -INT64_MAX) return '-infinity';
  return timestampMicrosText(millis * 1000n);
}

/** The converter for every value of `type`. Call once per column, not per value. */
export function createValueConverter(type: DuckDBType, bigint: BigintMode = 'auto'): ValueConverter {
  if (type.alias !== undefined && wireTypeOf(type).kind === 'json') return jsonDocument;
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.SQLNULL:
      return identity;
    case DuckDBTypeId.DOUBLE:
      return finiteNumber;
    case DuckDBTypeId.FLOAT:
      return float32Number;
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return INTEGER_JSON[bigint];
    case DuckDBTypeId.DECIMAL:
      return nonNull((v: DuckDBDecimalValue) => v.toString());
    case DuckDBTypeId.DATE:
      return nonNull((v: DuckDBDateValue) => dateText(v.days));
    case DuckDBTypeId.TIME:
      return nonNull((v: DuckDBTimeValue) => timeOfDayText(Number(v.micros)));
    case DuckDBTypeId.TIME_NS:
      return nonNull((v: DuckDBTimeNSValue) => timeOfDayNanosText(v.nanos));
    case DuckDBTypeId.TIME_TZ:
      return nonNull((v: DuckDBTimeTZValue) => timeOfDayText(Number(v.micros)) + offsetText(v.offset));
    case DuckDBTypeId.TIMESTAMP:
      return nonNull((v: DuckDBTimestampValue) => timestampMicrosText(v.micros));
    case DuckDBTypeId.TIMESTAMP_TZ:
      return nonNull((v: DuckDBTimestampTZValue) => timestampMicrosText(v.micros, 'Z'));
    case DuckDBTypeId.TIMESTAMP_S:
      return nonNull((v: DuckDBTimestampSecondsValue) => secondsText(v.seconds));
    case DuckDBTypeId.TIMESTAMP_MS:
      return nonNull((v: DuckDBTimestampMillisecondsValue) => millisText(v.millis));
    case DuckDBTypeId.TIMESTAMP_NS:
      return nonNull((v: DuckDBTimestampNanosecondsValue) => timestampNanosText(v.nanos));
    case DuckDBTypeId.INTERVAL:
      return nonNull((v: DuckDBIntervalValue) => intervalText(v.months, v.days, v.micros));
    case DuckDBTypeId.UUID:
      return nonNull((v: DuckDBUUIDValue) => v.toString());
    case DuckDBTypeId.BLOB:
      return nonNull((v: DuckDBBlobValue) => base64(v.bytes));
    case DuckDBTypeId.GEOMETRY:
      return nonNull((v: DuckDBGeometryValue) => wkbText(v.bytes));
    case DuckDBTypeId.BIT:
      return nonNull((v: DuckDBBitValue) => v.toString());
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const item = createValueConverter((type as DuckDBListType | DuckDBArrayType).valueType, bigint);
      return nonNull((v: DuckDBListValue | DuckDBArrayValue) => v.items.map(item));
    }
    case DuckDBTypeId.STRUCT:
      return structConverter(type as DuckDBStructType, bigint);
    case DuckDBTypeId.MAP:
      return mapConverter(type as DuckDBMapType, bigint);
    case DuckDBTypeId.UNION: {
      const union = type as DuckDBUnionType;
      const members = new Map(union.memberTags.map((tag, i) => [tag, createValueConverter(union.memberTypes[i]!, bigint)]));
      // The member's value alone: JSON has no tagged unions, and DuckDB's to_json does the same.
      return nonNull((v: DuckDBUnionValue) => (members.get(v.tag) ?? dynamicJsonValue)(v.value));
    }
    default:
      return dynamicJsonValue;
  }
}

function structConverter(type: DuckDBStructType, bigint: BigintMode): ValueConverter {
  const names = type.entryNames;
  const converters = type.entryTypes.map((entry) => createValueConverter(entry, bigint));
  return nonNull((v: DuckDBStructValue) => {
    const out: Record<string, JsonValue> = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      setJsonKey(out, name, converters[i]!(v.entries[name] ?? null));
    }
    return out;
  });
}

function mapConverter(type: DuckDBMapType, bigint: BigintMode): ValueConverter {
  const key = createValueConverter(type.keyType, bigint);
  const value = createValueConverter(type.valueType, bigint);
  return nonNull((v: DuckDBMapValue) => {
    const out: Record<string, JsonValue> = {};
    for (const entry of v.entries) setJsonKey(out, keyText(key(entry.key)), value(entry.value));
    return out;
  });
}

/** Assigns even a `__proto__` key as data: map keys and struct names come from the data. */
export function setJsonKey(target: Record<string, JsonValue>, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function keyText(key: JsonValue): string {
  return typeof key === 'string' ? key : JSON.stringify(key);
}

/**
 * The same mapping decided from the value's class, for values whose type is not known ahead:
 * VARIANT contents and callers holding a lone value.
 */
export function dynamicJsonValue(value: DuckDBValue): JsonValue {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return bigintJson(value);
  }
  if (value instanceof DuckDBDecimalValue || value instanceof DuckDBUUIDValue || value instanceof DuckDBBitValue) return value.toString();
  if (value instanceof DuckDBDateValue) return dateText(value.days);
  if (value instanceof DuckDBTimestampTZValue) return timestampMicrosText(value.micros, 'Z');
  if (value instanceof DuckDBTimestampValue) return timestampMicrosText(value.micros);
  if (value instanceof DuckDBTimestampSecondsValue) return secondsText(value.seconds);
  if (value instanceof DuckDBTimestampMillisecondsValue) return millisText(value.millis);
  if (value instanceof DuckDBTimestampNanosecondsValue) return timestampNanosText(value.nanos);
  if (value instanceof DuckDBTimeTZValue) return timeOfDayText(Number(value.micros)) + offsetText(value.offset);
  if (value instanceof DuckDBTimeValue) return timeOfDayText(Number(value.micros));
  if (value instanceof DuckDBTimeNSValue) return timeOfDayNanosText(value.nanos);
  if (value instanceof DuckDBIntervalValue) return intervalText(value.months, value.days, value.micros);
  if (value instanceof DuckDBGeometryValue) return wkbText(value.bytes);
  if (value instanceof DuckDBBlobValue) return base64(value.bytes);
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(dynamicJsonValue);
  if (value instanceof DuckDBStructValue) {
    const out: Record<string, JsonValue> = {};
    for (const name of Object.keys(value.entries)) setJsonKey(out, name, dynamicJsonValue(value.entries[name] ?? null));
    return out;
  }
  if (value instanceof DuckDBMapValue) {
    const out: Record<string, JsonValue> = {};
    for (const entry of value.entries) setJsonKey(out, keyText(dynamicJsonValue(entry.key)), dynamicJsonValue(entry.value));
    return out;
  }
  if (value instanceof DuckDBUnionValue) return dynamicJsonValue(value.value);
  if (value instanceof DuckDBVariantValue) {
    return value.type ? createValueConverter(value.type)(value.value) : dynamicJsonValue(value.value);
  }
  return String(value);
}

/** One value of a known type to JSON. Prefer {@link createValueConverter} for many values. */
export function toJsonValue(value: DuckDBValue, type: DuckDBType): JsonValue {
  return createValueConverter(type)(value);
}
