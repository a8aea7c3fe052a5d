export type { JsonRow, JsonValue } from './json-value.js';
export {
  bigintJson,
  createValueConverter,
  dynamicJsonValue,
  passThroughConverter,
  toJsonValue,
  type ValueConverter,
} from './value-converter.js';
export {
  createJsonRowConverter,
  resultColumns,
  rowObjectsFromResult,
  type ResultColumn,
  type RowConverter,
} from './row-converter.js';
export { createJsonTextWriter, type JsonTextWriter } from './json-text.js';
export {
  dateText,
  intervalText,
  timeOfDayText,
  timestampMicrosText,
  timestampNanosText,
} from './temporal-text.js';
export { WIRE_TYPES, wireTypeOf, wireTypeOfId, wireTypeOfName, type BigintMode, type WireKind, type WireType } from './wire-types.js';
export { ByteSink } from './byte-sink.js';
export { encodedColumn, memoryColumn, type ByteDialect, type ColumnBytes } from './column-bytes.js';
export { EncodedColumn } from './encoded-column.js';
export { RowLayout } from './row-bytes.js';
export { putCsvField, putJsonString } from './string-bytes.js';
