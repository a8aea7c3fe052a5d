/**
 * JSON Schema of a result column, from its DuckDB type text. It describes exactly what the
 * value conversion in `runtime/serialize` emits (SPEC §5), so clients can trust it.
 */
import type { ColumnSpec } from '../manifest.js';
import { parseTypeText, type TypeNode } from './duckdb-type-text.js';
import { nullable, type JsonSchema } from './json-schema.js';

const INTEGER_TEXT = '^-?[0-9]+$';
const LOCAL_TIMESTAMP = '^([+-]?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?|-?infinity)$';
const LOCAL_TIME = '^[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?$';

function smallInteger(min: number, max: number): JsonSchema {
  return { type: 'integer', minimum: min, maximum: max };
}

/** Integers that may exceed 2^53 arrive as numbers when safe, else as decimal strings. */
function wideInteger(format: string): JsonSchema {
  return {
    type: ['integer', 'string'],
    format,
    pattern: INTEGER_TEXT,
    description: 'A number within ±2^53, otherwise its exact decimal text.',
  };
}

function namedSchema(name: string, args: number[]): JsonSchema {
  switch (name) {
    case 'BOOLEAN':
    case 'BOOL':
      return { type: 'boolean' };
    case 'TINYINT':
      return smallInteger(-128, 127);
    case 'SMALLINT':
      return smallInteger(-32768, 32767);
    case 'INTEGER':
    case 'INT':
      return { type: 'integer', format: 'int32' };
    case 'UTINYINT':
      return smallInteger(0, 255);
    case 'USMALLINT':
      return smallInteger(0, 65535);
    case 'UINTEGER':
      return smallInteger(0, 4294967295);
    case 'BIGINT':
      return wideInteger('int64');
    case 'UBIGINT':
      return wideInteger('uint64');
    case 'HUGEINT':
    case 'UHUGEINT':
    case 'BIGNUM':
    case 'VARINT':
      return wideInteger(name.toLowerCase());
    case 'FLOAT':
    case 'REAL':
      return { type: 'number', format: 'float' };
    case 'DOUBLE':
    case 'DOUBLE PRECISION':
      return { type: 'number', format: 'double' };
    case 'DECIMAL':
    case 'NUMERIC': {
      const scale = args[1] ?? 3;
      const fraction = scale > 0 ? `\\.[0-9]{${scale}}` : '';
      return { type: 'string', format: 'decimal', pattern: `^-?[0-9]+${fraction}$`, description: `Exact decimal (${args[0] ?? 18},${scale}).` };
    }
    case 'VARCHAR':
    case 'TEXT':
    case 'STRING':
    case 'CHARACTER VARYING':
      return { type: 'string' };
    case 'DATE':
      return { type: 'string', format: 'date' };
    case 'TIME':
    case 'TIME_NS':
      return { type: 'string', pattern: LOCAL_TIME };
    case 'TIME WITH TIME ZONE':
    case 'TIMETZ':
      return { type: 'string', format: 'time' };
    case 'TIMESTAMP':
    case 'DATETIME':
    case 'TIMESTAMP_S':
    case 'TIMESTAMP_MS':
    case 'TIMESTAMP_NS':
      return { type: 'string', pattern: LOCAL_TIMESTAMP, description: 'Local date-time, ISO-8601 without offset.' };
    case 'TIMESTAMP WITH TIME ZONE':
    case 'TIMESTAMPTZ':
      return { type: 'string', format: 'date-time' };
    case 'INTERVAL':
      return { type: 'string', format: 'duration' };
    case 'UUID':
      return { type: 'string', format: 'uuid' };
    case 'BLOB':
    case 'BYTEA':
    case 'GEOMETRY':
      return { type: 'string', contentEncoding: 'base64' };
    case 'BIT':
    case 'BITSTRING':
      return { type: 'string', pattern: '^[01]*$' };
    case 'JSON':
      return {};
    default:
      return {};
  }
}

/** Schema of one DuckDB value of this type (NULL allowed only where `nullable` is applied). */
export function typeSchema(node: TypeNode): JsonSchema {
  switch (node.kind) {
    case 'named':
      return namedSchema(node.name, node.args);
    case 'enum':
      return { type: 'string', enum: node.values };
    case 'list': {
      const schema: JsonSchema = { type: 'array', items: nullable(typeSchema(node.item)) };
      if (node.length !== undefined) {
        schema.minItems = node.length;
        schema.maxItems = node.length;
      }
      return schema;
    }
    case 'struct': {
      const properties: Record<string, JsonSchema> = {};
      for (const field of node.fields) properties[field.name] = nullable(typeSchema(field.type));
      return { type: 'object', properties, required: node.fields.map((f) => f.name), additionalProperties: false };
    }
    case 'map':
      // Keys become JSON object keys (text), whatever their DuckDB type.
      return { type: 'object', additionalProperties: nullable(typeSchema(node.value)) };
    case 'union':
      return { anyOf: node.members.map((member) => typeSchema(member.type)) };
  }
}

/** The schema of a column's values as they appear in a JSON row. */
export function columnSchema(column: ColumnSpec): JsonSchema {
  const schema = typeSchema(parseTypeText(column.type));
  return { ...(column.nullable ? nullable(schema) : schema), 'x-duckdb-type': column.type };
}

/** The schema of one JSON row of an endpoint's result. */
export function rowSchema(columns: readonly ColumnSpec[]): JsonSchema {
  if (columns.length === 0) return { type: 'object', description: 'Columns unknown: the dry-run could not describe this result.' };
  const properties: Record<string, JsonSchema> = {};
  for (const column of columns) properties[column.name] = columnSchema(column);
  return {
    type: 'object',
    properties,
    required: columns.map((column) => column.name),
    additionalProperties: false,
  };
}
