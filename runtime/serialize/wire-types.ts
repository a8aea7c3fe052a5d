/**
 * How each DuckDB type crosses the wire: the one table that the JSON and CSV encoders,
 * the value converter's fast paths, the OpenAPI column schemas and the generated
 * TypeScript types all read (SPEC §5). A type is found by its runtime id (a result's
 * column) or by its name as DuckDB writes it (a column described at validate time).
 */
import type { DuckDBTypeId } from '@duckdb/node-api';

export type WireKind =
  /** true / false */
  | 'boolean'
  /** integers that always fit a JS number: `range` gives their bounds */
  | 'int'
  /** integers that may exceed ±2^53: a number when safe, else the exact decimal text */
  | 'wide-int'
  /** FLOAT and DOUBLE: a number, null when not finite */
  | 'float'
  /** exact decimal text */
  | 'decimal'
  | 'text'
  | 'date'
  /** time of day without offset */
  | 'time'
  | 'time-tz'
  /** local date-time, ISO-8601 without offset */
  | 'timestamp'
  | 'timestamp-tz'
  | 'interval'
  | 'uuid'
  /** bytes as base64 */
  | 'base64'
  /** GEOMETRY as WKT text (`POINT (1 2)`) */
  | 'wkt'
  /** a bit string as 0s and 1s */
  | 'bits'
  | 'null'
  /** DuckDB's JSON type (VARCHAR with the JSON alias): the document itself, nested */
  | 'json'
  /** LIST, ARRAY, STRUCT, MAP, UNION: their members decide */
  | 'nested'
  /** anything else: whatever JSON the converter makes of it */
  | 'any';

/**
 * How BIGINT and wider integers are written (`serialization.bigint`): `auto` a number
 * within ±2^53 and the exact decimal text beyond (typed `number | string`), `number`
 * always a number (beyond ±2^53 a JavaScript reader rounds it), `string` always text.
 */
export type BigintMode = 'auto' | 'number' | 'string';

export interface WireType {
  kind: WireKind;
  ids: readonly DuckDBTypeId[];
  /** Names DuckDB uses for the type, upper case (`DESCRIBE`, type text). */
  names: readonly string[];
  /** For `int`: inclusive bounds. */
  range?: readonly [number, number];
  /** OpenAPI `format`, where one applies. */
  format?: string;
}

/**
 * DuckDB's type ids, by value: importing the enum would load the native binding into
 * `flapi --help` and the OpenAPI builder. test/serialize-wire-types.test.ts checks each
 * against DuckDB.
 */
const T = {
  BOOLEAN: 1, TINYINT: 2, SMALLINT: 3, INTEGER: 4, BIGINT: 5, UTINYINT: 6, USMALLINT: 7, UINTEGER: 8, UBIGINT: 9,
  FLOAT: 10, DOUBLE: 11, TIMESTAMP: 12, DATE: 13, TIME: 14, INTERVAL: 15, HUGEINT: 16, VARCHAR: 17, BLOB: 18,
  DECIMAL: 19, TIMESTAMP_S: 20, TIMESTAMP_MS: 21, TIMESTAMP_NS: 22, ENUM: 23, LIST: 24, STRUCT: 25, MAP: 26,
  UUID: 27, UNION: 28, BIT: 29, TIME_TZ: 30, TIMESTAMP_TZ: 31, UHUGEINT: 32, ARRAY: 33, BIGNUM: 35, SQLNULL: 36,
  TIME_NS: 39, GEOMETRY: 40,
} as unknown as Record<string, DuckDBTypeId>;

export const WIRE_TYPES: readonly WireType[] = [
  { kind: 'boolean', ids: [T.BOOLEAN], names: ['BOOLEAN', 'BOOL'] },
  { kind: 'int', ids: [T.TINYINT], names: ['TINYINT'], range: [-128, 127] },
  { kind: 'int', ids: [T.SMALLINT], names: ['SMALLINT'], range: [-32768, 32767] },
  { kind: 'int', ids: [T.INTEGER], names: ['INTEGER', 'INT'], range: [-2147483648, 2147483647], format: 'int32' },
  { kind: 'int', ids: [T.UTINYINT], names: ['UTINYINT'], range: [0, 255] },
  { kind: 'int', ids: [T.USMALLINT], names: ['USMALLINT'], range: [0, 65535] },
  { kind: 'int', ids: [T.UINTEGER], names: ['UINTEGER'], range: [0, 4294967295] },
  { kind: 'wide-int', ids: [T.BIGINT], names: ['BIGINT'], format: 'int64' },
  { kind: 'wide-int', ids: [T.UBIGINT], names: ['UBIGINT'], format: 'uint64' },
  { kind: 'wide-int', ids: [T.HUGEINT], names: ['HUGEINT'], format: 'hugeint' },
  { kind: 'wide-int', ids: [T.UHUGEINT], names: ['UHUGEINT'], format: 'uhugeint' },
  { kind: 'wide-int', ids: [T.BIGNUM], names: ['BIGNUM', 'VARINT'], format: 'bignum' },
  { kind: 'float', ids: [T.FLOAT], names: ['FLOAT', 'REAL'], format: 'float' },
  { kind: 'float', ids: [T.DOUBLE], names: ['DOUBLE', 'DOUBLE PRECISION'], format: 'double' },
  { kind: 'decimal', ids: [T.DECIMAL], names: ['DECIMAL', 'NUMERIC'] },
  { kind: 'text', ids: [T.VARCHAR, T.ENUM], names: ['VARCHAR', 'TEXT', 'STRING', 'CHARACTER VARYING'] },
  { kind: 'date', ids: [T.DATE], names: ['DATE'], format: 'date' },
  { kind: 'time', ids: [T.TIME, T.TIME_NS], names: ['TIME', 'TIME_NS'] },
  { kind: 'time-tz', ids: [T.TIME_TZ], names: ['TIME WITH TIME ZONE', 'TIMETZ'], format: 'time' },
  { kind: 'timestamp', ids: [T.TIMESTAMP, T.TIMESTAMP_S, T.TIMESTAMP_MS, T.TIMESTAMP_NS], names: ['TIMESTAMP', 'DATETIME', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS'] },
  { kind: 'timestamp-tz', ids: [T.TIMESTAMP_TZ], names: ['TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ'], format: 'date-time' },
  { kind: 'interval', ids: [T.INTERVAL], names: ['INTERVAL'], format: 'duration' },
  { kind: 'uuid', ids: [T.UUID], names: ['UUID'], format: 'uuid' },
  { kind: 'base64', ids: [T.BLOB], names: ['BLOB', 'BYTEA'] },
  { kind: 'wkt', ids: [T.GEOMETRY], names: ['GEOMETRY'] },
  { kind: 'bits', ids: [T.BIT], names: ['BIT', 'BITSTRING'] },
  { kind: 'null', ids: [T.SQLNULL], names: ['SQLNULL', 'NULL'] },
  // By name only: at run time a JSON column is a VARCHAR with an alias (wireTypeOf).
  { kind: 'json', ids: [], names: ['JSON'] },
  { kind: 'nested', ids: [T.LIST, T.ARRAY, T.STRUCT, T.MAP, T.UNION], names: [] },
];

const ANY: WireType = { kind: 'any', ids: [], names: [] };
const byId = new Map<DuckDBTypeId, WireType>();
const byName = new Map<string, WireType>();
for (const type of WIRE_TYPES) {
  for (const id of type.ids) byId.set(id, type);
  for (const name of type.names) byName.set(name, type);
}

export function wireTypeOfId(id: DuckDBTypeId): WireType {
  return byId.get(id) ?? ANY;
}

/** A result column's type: its alias first (JSON), then its id. */
export function wireTypeOf(type: { typeId: DuckDBTypeId; alias?: string | undefined }): WireType {
  if (type.alias !== undefined) {
    const aliased = byName.get(type.alias.toUpperCase());
    if (aliased !== undefined) return aliased;
  }
  return wireTypeOfId(type.typeId);
}

/** By a type's name as DuckDB writes it (case-insensitive, no arguments). */
export function wireTypeOfName(name: string): WireType {
  return byName.get(name.toUpperCase()) ?? ANY;
}
