/**
 * Builds an endpoint's parameter parser once, when the app is created. A request only
 * walks the prepared list: read each value from its place, check it, apply defaults,
 * and collect every failing field so one 400 names them all.
 */
import type { EndpointSpec, ParamLocation, ParamSpec, ServerSettings } from '../manifest.js';
import { compileCheck } from './compile-check.js';
import { paginationParams } from './pagination-params.js';
import {
  Invalid,
  type FieldError,
  type ParamValue,
  type ParseResult,
  type RawScalar,
  type RequestInput,
  type ValueCheck,
} from './param-types.js';

export interface ParamParser {
  parse(input: RequestInput): ParseResult;
  /** True when some parameter comes from the body, or unknown body fields must be refused. */
  readonly needsBody: boolean;
  /** Parameter names in declaration order, pagination ones included. */
  readonly names: readonly string[];
}

export interface CompileParamsOptions {
  /** Query keys that are never unknown (e.g. `format`), even with request-fields-validation. */
  reservedQueryKeys?: readonly string[];
  /** Read a JSON body even without body parameters, for its undeclared fields (writes). */
  readBody?: boolean;
}

interface CompiledParam {
  name: string;
  location: ParamLocation;
  /** Header names are looked up lower-cased. */
  key: string;
  required: boolean;
  check: ValueCheck;
  defaultValue: ParamValue | undefined;
}

const MISSING = 'is required';
const NOT_SCALAR = 'must be a single value';

function compileParam(spec: ParamSpec): CompiledParam {
  const check = compileCheck(spec.validators);
  let defaultValue: ParamValue | undefined;
  if (spec.default !== undefined) {
    const result = check(spec.default);
    if (result instanceof Invalid) {
      throw new Error(`default of parameter "${spec.name}" is invalid: ${result.message}`);
    }
    defaultValue = result;
  }
  return {
    name: spec.name,
    location: spec.in,
    key: spec.in === 'header' ? spec.name.toLowerCase() : spec.name,
    required: spec.required,
    check,
    defaultValue,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The raw value of one parameter: undefined when absent, Invalid when not a scalar. */
function readRaw(p: CompiledParam, input: RequestInput): RawScalar | Invalid | undefined {
  let source: Readonly<Record<string, unknown>>;
  switch (p.location) {
    case 'query':
      source = input.query;
      break;
    case 'path':
      source = input.path;
      break;
    case 'header':
      source = input.headers;
      break;
    case 'body':
      if (!isRecord(input.body)) return undefined;
      source = input.body;
      break;
  }
  // Own properties only: a parameter named `constructor` must not find Object's.
  const raw = Object.hasOwn(source, p.key) ? source[p.key] : undefined;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return new Invalid(NOT_SCALAR);
}

/**
 * Undeclared keys of one request part, as text: never a declared name (a declared
 * parameter read elsewhere keeps its own value), never an object or array.
 */
function passThrough(source: Readonly<Record<string, unknown>>, known: ReadonlySet<string>, into: Record<string, ParamValue>): void {
  for (const key in source) {
    if (known.has(key) || key === '__proto__' || Object.hasOwn(into, key)) continue;
    let raw = source[key];
    if (Array.isArray(raw)) raw = raw[0];
    if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') into[key] = String(raw);
  }
}

export function compileParams(
  endpoint: Pick<EndpointSpec, 'params' | 'pagination' | 'requestFieldsValidation'>,
  server: Pick<ServerSettings, 'defaultLimit' | 'maxLimit'>,
  options: CompileParamsOptions = {},
): ParamParser {
  const declared = endpoint.params.map(compileParam);
  const declaredNames = new Set(declared.map((p) => p.name));
  const extra = endpoint.pagination
    ? paginationParams(server).filter((spec) => !declaredNames.has(spec.name)).map(compileParam)
    : [];
  const params = [...declared, ...extra];
  const strict = endpoint.requestFieldsValidation;
  const knownQuery = new Set([
    ...params.filter((p) => p.location === 'query').map((p) => p.key),
    ...(options.reservedQueryKeys ?? []),
  ]);
  const knownBody = new Set(params.filter((p) => p.location === 'body').map((p) => p.key));
  // Pass-through never shadows a parameter, whatever part of the request declares it.
  const anyName = new Set([...params.map((p) => p.name), ...(options.reservedQueryKeys ?? [])]);
  const needsBody = knownBody.size > 0 || strict || options.readBody === true;

  const parse = (input: RequestInput): ParseResult => {
    const values: Record<string, ParamValue> = {};
    let errors: FieldError[] | undefined;
    for (const p of params) {
      const raw = readRaw(p, input);
      let result: ParamValue | Invalid;
      if (raw === undefined) {
        if (p.defaultValue !== undefined) values[p.name] = p.defaultValue;
        else if (p.required) (errors ??= []).push({ field: p.name, message: MISSING });
        continue;
      }
      result = raw instanceof Invalid ? raw : p.check(raw);
      if (result instanceof Invalid) (errors ??= []).push({ field: p.name, message: result.message });
      else values[p.name] = result;
    }
    if (!strict) {
      // flAPI hands undeclared request values to the template too; they are text, always bound.
      passThrough(input.query, anyName, values);
      passThrough(input.path, anyName, values);
      if (isRecord(input.body)) passThrough(input.body, anyName, values);
    } else {
      for (const key in input.query) {
        if (!knownQuery.has(key)) (errors ??= []).push({ field: key, message: 'is not a known parameter' });
      }
      if (isRecord(input.body)) {
        for (const key in input.body) {
          if (!knownBody.has(key)) (errors ??= []).push({ field: key, message: 'is not a known parameter' });
        }
      }
    }
    return errors === undefined ? { ok: true, values } : { ok: false, errors };
  };

  return { parse, needsBody, names: params.map((p) => p.name) };
}
