/**
 * Names in the generated code, derived the same way for every project so a user can
 * predict them:
 * - endpoint file: the endpoint name in kebab case (`get_flights_id` → `get-flights-id.ts`);
 * - client function: an explicit name (the MCP tool name) in camel case
 *   (`find_airports` → `findAirports`); a name derived from the route reads as a call,
 *   `GET /flights/:id` → `getFlightsById`, `GET /airports/:iata/delays` →
 *   `getAirportsDelaysByIata`, `POST /orders` → `postOrders`.
 * Any clash falls back to the camel-cased endpoint name, which is unique.
 */
import type { EndpointSpec } from '../../runtime/manifest.js';
import { endpointNameFromRoute } from '../config/endpoint-name.js';

function words(text: string): string[] {
  return text.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function camelCase(text: string): string {
  const parts = words(text).map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : capitalise(w)));
  const name = parts.join('') || 'endpoint';
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

export function pascalCase(text: string): string {
  return capitalise(camelCase(text).replace(/^_/, ''));
}

export function kebabCase(text: string): string {
  return words(text).map((w) => w.toLowerCase()).join('-') || 'endpoint';
}

/** `GET /flights/:id` → `getFlightsById`. */
function routeFunctionName(method: string, urlPath: string): string {
  const segments = urlPath.split('/').filter((s) => s !== '');
  const isParam = (s: string) => s.startsWith(':') || (s.startsWith('{') && s.endsWith('}'));
  const fixed = segments.filter((s) => !isParam(s)).flatMap(words);
  const params = segments.filter(isParam).map((s) => s.replace(/^[:{]|}$/g, '')).flatMap((p) => [capitalise(camelCase(p))]);
  const by = params.length > 0 ? `By${params.join('And')}` : '';
  return method.toLowerCase() + fixed.map(capitalise).join('') + by;
}

/** Client function names by endpoint name, unique within the project. */
export function clientFunctionNames(endpoints: readonly EndpointSpec[]): Map<string, string> {
  const preferred = endpoints.map((e) => {
    const derived = e.urlPath !== undefined && e.name === endpointNameFromRoute(e.method, e.urlPath);
    return { endpoint: e, name: derived ? routeFunctionName(e.method, e.urlPath!) : camelCase(e.name) };
  });
  const counts = new Map<string, number>();
  for (const p of preferred) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const p of preferred) {
    let name = counts.get(p.name) === 1 ? p.name : camelCase(p.endpoint.name);
    for (let i = 2; taken.has(name); i++) name = `${camelCase(p.endpoint.name)}${i}`;
    taken.add(name);
    names.set(p.endpoint.name, name);
  }
  return names;
}

/** Endpoint file names (without extension) by endpoint name, unique within the project. */
export function endpointFileNames(endpoints: readonly EndpointSpec[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>(['index']);
  for (const e of endpoints) {
    let name = kebabCase(e.name);
    for (let i = 2; taken.has(name); i++) name = `${kebabCase(e.name)}-${i}`;
    taken.add(name);
    names.set(e.name, name);
  }
  return names;
}

/** Text safe inside a `/** ... *\/` comment. */
export function docText(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim();
}
