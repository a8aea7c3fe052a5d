/**
 * MCP arguments arrive as one JSON object; an endpoint's parameters live in the query,
 * the path, headers or the body. Placing each argument where its parameter is read lets
 * the HTTP parameter parser validate a tool call exactly as it validates a request.
 */
import type { ParamLocation } from '../manifest.js';
import type { FieldError, RequestInput } from '../params/index.js';

type Scalar = string | number | boolean;

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

export interface PlacedArguments {
  input: RequestInput;
  /** Arguments that no parameter could take (objects or arrays). */
  errors: FieldError[];
}

/**
 * `locations` maps every parameter name the parser knows to where it is read. Unknown
 * arguments go to the query, so an endpoint with request-fields-validation refuses them
 * by name and any other endpoint ignores them, as over HTTP.
 */
export function placeArguments(args: Readonly<Record<string, unknown>> | undefined, locations: ReadonlyMap<string, ParamLocation>): PlacedArguments {
  const query: Record<string, string> = {};
  const path: Record<string, string> = {};
  const headers: Record<string, string> = {};
  const body: Record<string, Scalar> = {};
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(args ?? {})) {
    if (value === undefined || value === null) continue;
    if (!isScalar(value)) {
      errors.push({ field: name, message: 'must be a single value' });
      continue;
    }
    switch (locations.get(name) ?? 'query') {
      case 'query':
        query[name] = String(value);
        break;
      case 'path':
        path[name] = String(value);
        break;
      case 'header':
        headers[name.toLowerCase()] = String(value);
        break;
      case 'body':
        body[name] = value;
        break;
    }
  }
  return { input: { query, path, headers, body }, errors };
}
