/**
 * JSON Schema of a result column, from its DuckDB type text. It describes exactly what the
 * value conversion in `runtime/serialize` emits (SPEC §5), so clients can trust it.
 */
import type { ColumnSpec } from '../manifest.js';
import { parseTypeText, type TypeNode } from './duckdb-type-text.js';
import { nullable, type JsonSchema } from './json-schema.js';
import { wireTypeOfName, type BigintMode } from '../serialize/wire-types.js';

const INTEGER_TEXT = '^-?[0-9]+$';
const LOCAL_TIMESTAMP = '^([+-]?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?|-?infinity)$';
const LOCAL_TIME = '^[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?$';

/** Integers that may exceed 2^53 arrive as numbers when safe, else as decimal strings. */
function wideInteger(format: string): JsonSchema {
  return {
    type: ['integer', 'string'],
    format,
    pattern: INTEGER_TEXT,
    description: 'A number within ±2^53, otherwise its exact decimal text.',
  };
}

function namedSchema(name: string, args: number[], bigint: BigintMode): JsonSchema {
  const wire = wireTypeOfName(name);
  const format = wire.format !== undefined ? { format: wire.format } : {};
  switch (wire.kind) {
    case 'boolean':
      return { type: 'boolean' };
    case 'int':
      return wire.format !== undefined ? { type: 'integer', ...format } : { type: 'integer', minimum: wire.range![0], maximum: wire.range![1] };
    case 'wide-int':
      if (bigint === 'number') return { type: 'integer', ...format };
      if (bigint === 'string') return { type: 'string', ...format, pattern: INTEGER_TEXT };
      return wideInteger(wire.format!);
    case 'float':
      return { type: 'number', ...format };
    case 'decimal': {
      const scale = args[1] ?? 3;
      const fraction = scale > 0 ? `\\.[0-9]{${scale}}` : '';
      return { type: 'string', format: 'decimal', pattern: `^-?[0-9]+${fraction}$`, description: `Exact decimal (${args[0] ?? 18},${scale}).` };
    }
    case 'text':
      return { type: 'string' };
    case 'time':
      return { type: 'string', pattern: LOCAL_TIME };
    case 'timestamp':
      return { type: 'string', pattern: LOCAL_TIMESTAMP, description: 'Local date-time, ISO-8601 without offset.' };
    case 'date':
    case 'time-tz':
    case 'timestamp-tz':
    case 'interval':
    case 'uuid':
      return { type: 'string', ...format };
    case 'base64':
      return { type: 'string', contentEncoding: 'base64' };
    case 'wkt':
      return { type: 'string', description: 'Geometry as WKT, e.g. POINT (1 2).' };
    case 'bits':
      return { type: 'string', pattern: '^[01]*$' };
    case 'null':
      return { type: 'null' };
    case 'json':
    case 'nested':
    case 'any':
      return {};
  }
}

/** Schema of one DuckDB value of this type (NULL allowed only where `nullable` is applied). */
export function typeSchema(node: TypeNode, bigint: BigintMode = 'auto'): JsonSchema {
  switch (node.kind) {
    case 'named':
      return namedSchema(node.name, node.args, bigint);
    case 'enum':
      return { type: 'string', enum: node.values };
    case 'list': {
      const schema: JsonSchema = { type: 'array', items: nullable(typeSchema(node.item, bigint)) };
      if (node.length !== undefined) {
        schema.minItems = node.length;
        schema.maxItems = node.length;
      }
      return schema;
    }
    case 'struct': {
      const properties: Record<string, JsonSchema> = {};
      for (const field of node.fields) properties[field.name] = nullable(typeSchema(field.type, bigint));
      return { type: 'object', properties, required: node.fields.map((f) => f.name), additionalProperties: false };
    }
    case 'map':
      // Keys become JSON object keys (text), whatever their DuckDB type.
      return { type: 'object', additionalProperties: nullable(typeSchema(node.value, bigint)) };
    case 'union':
      return { anyOf: node.members.map((member) => typeSchema(member.type, bigint)) };
  }
}

/** The schema of a column's values as they appear in a JSON row. */
export function columnSchema(column: ColumnSpec, bigint: BigintMode = 'auto'): JsonSchema {
  const schema = typeSchema(parseTypeText(column.type), bigint);
  return { ...(column.nullable ? nullable(schema) : schema), 'x-duckdb-type': column.type };
}

/** The schema of one JSON row of an endpoint's result. */
export function rowSchema(columns: readonly ColumnSpec[], bigint: BigintMode = 'auto'): JsonSchema {
  if (columns.length === 0) return { type: 'object', description: 'Columns unknown: the dry-run could not describe this result.' };
  const properties: Record<string, JsonSchema> = {};
  for (const column of columns) properties[column.name] = columnSchema(column, bigint);
  return {
    type: 'object',
    properties,
    required: columns.map((column) => column.name),
    additionalProperties: false,
  };
}
