/**
 * TypeScript types for what crosses the wire: a result column's type follows what
 * `runtime/serialize` emits for its DuckDB type (SPEC §5), a parameter's type follows its
 * validators. The names used here (`WideInteger`, `JsonValue`) are declared once in the
 * generated `src/types.ts`.
 */
import type { ColumnSpec, ParamSpec, ValidatorSpec } from '../../runtime/manifest.js';
import { parseTypeText, type TypeNode } from '../../runtime/openapi/index.js';
import { wireTypeOfName, type BigintMode } from '../../runtime/serialize/wire-types.js';

/** Type names a generated file may need from `src/types.ts`. */
export type SharedTypeName = 'WideInteger' | 'JsonValue';

export interface TypeText {
  text: string;
  uses: Set<SharedTypeName>;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property name as it must be written in a type literal or interface. */
export function propertyName(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `a | b`, with duplicates removed and `null` last. */
export function union(parts: string[]): string {
  const unique = [...new Set(parts.flatMap((p) => splitTopLevelUnion(p)))];
  const ordered = [...unique.filter((p) => p !== 'null'), ...unique.filter((p) => p === 'null')];
  return ordered.join(' | ');
}

/** Splits `A | B` at top level only (not inside `{ }`, `< >`, `( )`). */
function splitTopLevelUnion(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if ('{<(['.includes(ch)) depth++;
    else if ('}>)]'.includes(ch)) depth--;
    else if (ch === '|' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((p) => p !== '');
}

function namedType(name: string, uses: Set<SharedTypeName>, bigint: BigintMode): string {
  switch (wireTypeOfName(name).kind) {
    case 'boolean':
      return 'boolean';
    case 'int':
      return 'number';
    case 'wide-int':
      if (bigint !== 'auto') return bigint;
      uses.add('WideInteger');
      return 'WideInteger';
    // Non-finite floats (NaN, ±Infinity) have no JSON form and arrive as null.
    case 'float':
      return 'number | null';
    case 'null':
      return 'null';
    case 'decimal':
    case 'text':
    case 'date':
    case 'time':
    case 'time-tz':
    case 'timestamp':
    case 'timestamp-tz':
    case 'interval':
    case 'uuid':
    case 'base64':
    case 'wkt':
    case 'bits':
      return 'string';
    case 'json':
    case 'nested':
    case 'any':
      uses.add('JsonValue');
      return 'JsonValue';
  }
}

function arrayOf(item: string): string {
  return /^[A-Za-z0-9_]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
}

function nodeType(node: TypeNode, uses: Set<SharedTypeName>, bigint: BigintMode): string {
  switch (node.kind) {
    case 'named':
      return namedType(node.name, uses, bigint);
    case 'enum':
      return node.values.length === 0 ? 'string' : union(node.values.map(literal));
    case 'list':
      return arrayOf(union([nodeType(node.item, uses, bigint), 'null']));
    case 'struct': {
      const fields = node.fields.map((f) => `${propertyName(f.name)}: ${union([nodeType(f.type, uses, bigint), 'null'])}`);
      return fields.length === 0 ? 'Record<string, never>' : `{ ${fields.join('; ')} }`;
    }
    case 'map':
      // Keys become JSON object keys (text), whatever their DuckDB type.
      return `Record<string, ${union([nodeType(node.value, uses, bigint), 'null'])}>`;
    case 'union':
      return union(node.members.map((m) => nodeType(m.type, uses, bigint)));
  }
}

/** The type of a column's values in a JSON row. */
export function columnType(column: ColumnSpec, bigint: BigintMode = 'auto'): TypeText {
  const uses = new Set<SharedTypeName>();
  const base = nodeType(parseTypeText(column.type), uses, bigint);
  return { text: column.nullable ? union([base, 'null']) : base, uses };
}

/** Parameters arrive as text or JSON scalars; the validators say what they must be. */
export function paramType(param: ParamSpec): string {
  const enums = param.validators.filter((v): v is Extract<ValidatorSpec, { type: 'enum' }> => v.type === 'enum');
  if (enums.length > 0) {
    // Every validator must pass, so only values allowed by all enum lists are valid.
    const allowed = enums.reduce((acc, v) => acc.filter((x) => v.allowedValues.includes(x)), enums[0]!.allowedValues);
    return allowed.length === 0 ? 'never' : union(allowed.map(literal));
  }
  if (param.validators.some((v) => v.type === 'int' || v.type === 'number')) return 'number';
  if (param.validators.some((v) => v.type === 'boolean')) return 'boolean';
  return 'string';
}

function validatorText(v: ValidatorSpec): string {
  const range = (min: unknown, max: unknown): string =>
    min !== undefined && max !== undefined ? ` ${String(min)}..${String(max)}` : min !== undefined ? ` >= ${String(min)}` : max !== undefined ? ` <= ${String(max)}` : '';
  switch (v.type) {
    case 'int':
    case 'number':
    case 'date':
    case 'time':
      return `${v.type}${range(v.min, v.max)}`;
    case 'string': {
      const parts = ['string'];
      if (v.regex !== undefined) parts.push(`matching /${v.regex}/`);
      if (v.min !== undefined || v.max !== undefined) parts.push(`length${range(v.min, v.max)}`);
      return parts.join(', ');
    }
    case 'enum':
      return 'one of the listed values';
    default:
      return v.type;
  }
}

/** One line for a parameter's doc comment: its description, then what the server checks. */
export function paramDoc(param: ParamSpec): string {
  const rules = param.validators.map(validatorText);
  const facts = [`in ${param.in}`, ...rules];
  if (param.default !== undefined) facts.push(`default ${JSON.stringify(param.default)}`);
  const description = param.description?.trim();
  return `${description ? `${description.replace(/\s+/g, ' ')} ` : ''}(${facts.join('; ')})`;
}
