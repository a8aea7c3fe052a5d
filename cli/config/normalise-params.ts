import type { ParamLocation, ParamSpec, ValidatorSpec } from '../../runtime/manifest.js';
import { asBoolean, asMap, asNumber, asScalar, asString, asStringList } from './yaml-values.js';

const LOCATIONS: readonly ParamLocation[] = ['query', 'path', 'body', 'header'];

/** `request:` list → ParamSpec[], keeping written order (indexes match the YAML list). */
export function normaliseParams(value: unknown): ParamSpec[] {
  if (!Array.isArray(value)) return [];
  return value.map((raw) => {
    const map = asMap(raw);
    const location = (asString(map['field-in']) ?? 'query').toLowerCase() as ParamLocation;
    const inPath = location === 'path';
    const param: ParamSpec = {
      name: asString(map['field-name']) ?? '',
      in: LOCATIONS.includes(location) ? location : 'query',
      required: asBoolean(map.required, inPath),
      validators: Array.isArray(map.validators) ? map.validators.map(normaliseValidator) : [],
    };
    const description = asString(map.description);
    if (description !== undefined) param.description = description;
    const fallback = asScalar(map.default);
    if (fallback !== undefined) param.default = fallback;
    const example = asScalar(map.example);
    if (example !== undefined) param.example = example;
    return param;
  });
}

export function normaliseValidator(raw: unknown): ValidatorSpec {
  const map = asMap(raw);
  const type = (asString(map.type) ?? 'string').toLowerCase();
  const min = map.min;
  const max = map.max;
  switch (type) {
    case 'int':
    case 'integer':
    case 'number':
      return withBounds({ type: type === 'number' ? 'number' : 'int' }, asNumber(min), asNumber(max));
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { type: 'enum', allowedValues: asStringList(map.allowedValues ?? map['allowed-values'] ?? map.values) };
    case 'date':
    case 'time':
      return withBounds({ type }, asString(min), asString(max));
    case 'email':
      return { type: 'email' };
    case 'uuid':
      return { type: 'uuid' };
    default: {
      const regex = asString(map.regex);
      // flAPI's min-length / max-length are the string validator's min / max.
      const v = withBounds({ type: 'string' as const }, asNumber(min ?? map['min-length']), asNumber(max ?? map['max-length']));
      return regex === undefined ? v : { ...v, regex };
    }
  }
}

function withBounds<T extends object, B>(base: T, min: B | undefined, max: B | undefined): T & { min?: B; max?: B } {
  const out: T & { min?: B; max?: B } = { ...base };
  if (min !== undefined) out.min = min;
  if (max !== undefined) out.max = max;
  return out;
}
