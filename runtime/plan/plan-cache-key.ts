/**
 * The response-cache key of a request, built from what the endpoint validated: every
 * parameter it reads (query, path, header, body, and pass-through ones), the verified
 * caller, the format and the data version. Raw request text never enters it, so two
 * requests share an entry exactly when the endpoint would run the same query for them.
 */
import type { ParamValue } from '../params/index.js';

function valueText(value: ParamValue | undefined): string {
  switch (typeof value) {
    case 'undefined':
      return '-';
    case 'string':
      // JSON quoting escapes the separator, so no value can forge a neighbour's part.
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`;
    default:
      return String(value);
  }
}

export interface KeyInput {
  params: Readonly<Record<string, ParamValue>>;
  /** The verified caller as text (`-` when anonymous). */
  identity: string;
  format: string;
  version: number;
}

/** `names` is the endpoint's declared parameters in a fixed order; other keys are pass-through values. */
export function planCacheKey(endpoint: string, names: readonly string[], known: ReadonlySet<string>, input: KeyInput): string {
  let key = `${endpoint}\u0000${input.format}\u0000${input.version}\u0000${input.identity}`;
  for (const name of names) key += `\u0000${valueText(input.params[name])}`;
  let extra: string[] | undefined;
  for (const name in input.params) if (!known.has(name)) (extra ??= []).push(name);
  if (extra !== undefined) {
    for (const name of extra.sort()) key += `\u0000${JSON.stringify(name)}=${valueText(input.params[name])}`;
  }
  return key;
}
