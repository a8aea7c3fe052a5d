/**
 * JSON Schema of a request parameter from its validators, mirroring what `runtime/params`
 * accepts: several validators must all pass, so they combine with `allOf` when they clash.
 */
import type { ParamSpec, ValidatorSpec } from '../manifest.js';
import type { JsonSchema } from './json-schema.js';

const TIME_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$';

function defined(schema: JsonSchema): JsonSchema {
  for (const key of Object.keys(schema)) if (schema[key] === undefined) delete schema[key];
  return schema;
}

function bounds(kind: string, min: string | undefined, max: string | undefined): string | undefined {
  if (min !== undefined && max !== undefined) return `A ${kind} from ${min} to ${max}.`;
  if (min !== undefined) return `A ${kind} on or after ${min}.`;
  if (max !== undefined) return `A ${kind} on or before ${max}.`;
  return undefined;
}

export function validatorSchema(validator: ValidatorSpec): JsonSchema {
  switch (validator.type) {
    case 'int':
      return defined({ type: 'integer', minimum: validator.min, maximum: validator.max });
    case 'number':
      return defined({ type: 'number', minimum: validator.min, maximum: validator.max });
    case 'boolean':
      return { type: 'boolean' };
    case 'string':
      return defined({
        type: 'string',
        // The runtime matches the whole value, JSON Schema searches: anchor it.
        pattern: validator.regex === undefined ? undefined : `^(?:${validator.regex})$`,
        minLength: validator.min,
        maxLength: validator.max,
      });
    case 'enum':
      return { type: 'string', enum: [...validator.allowedValues] };
    case 'date':
      return defined({ type: 'string', format: 'date', description: bounds('date', validator.min, validator.max) });
    case 'time':
      return defined({ type: 'string', pattern: TIME_PATTERN, description: bounds('time', validator.min, validator.max) });
    case 'email':
      return { type: 'string', format: 'email' };
    case 'uuid':
      return { type: 'string', format: 'uuid' };
  }
}

function mergeable(a: JsonSchema, b: JsonSchema): boolean {
  for (const key of Object.keys(b)) {
    if (key in a && !(key === 'type' && a.type === b.type)) return false;
  }
  return true;
}

/** Schema of the parameter's value; without validators a parameter is free text. */
export function paramSchema(param: ParamSpec): JsonSchema {
  const parts = param.validators.map(validatorSchema);
  let schema: JsonSchema;
  if (parts.length === 0) schema = { type: 'string' };
  else if (parts.every((part, i) => parts.slice(0, i).every((prev) => mergeable(prev, part)))) {
    schema = Object.assign({}, ...parts) as JsonSchema;
  } else {
    schema = { allOf: parts };
  }
  const value = param.default ?? undefined;
  if (value !== undefined) schema.default = typedValue(value, parts[0]);
  if (param.example !== undefined) schema.examples = [typedValue(param.example, parts[0])];
  return schema;
}

/** A default or example written as text, in the type its schema declares. */
function typedValue(value: string | number | boolean, schema: JsonSchema | undefined): string | number | boolean {
  if (typeof value !== 'string' || !schema) return value;
  if (schema.type === 'integer' || schema.type === 'number') {
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) ? n : value;
  }
  if (schema.type === 'boolean') {
    if (value === 'true') return true;
    if (value === 'false') return false;
  }
  return value;
}
