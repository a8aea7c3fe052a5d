/**
 * The raw-request alias of a response-cache entry: path, query with its pairs sorted,
 * negotiated format, and a hash of the credential headers (`-` without any). The endpoint
 * handler files an entry under it (besides the plan's key, runtime/plan/plan-cache-key.ts)
 * only for endpoints the raw request alone decides; the below-Koa hit path looks it up
 * from the request line without parsing anything. One function for both sides, so they
 * can never disagree about what is the same request.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { negotiateFormat, type ResponseFormat } from '../formats/index.js';

/** Request headers that carry credentials; their values (hashed) split the cache. */
export const DEFAULT_AUTH_HEADERS: readonly string[] = ['authorization', 'x-api-key'];

export interface KeyParts {
  /** Path without the query (Koa's `ctx.path`). */
  path: string;
  /** Raw query string without `?` (Koa's `ctx.querystring`). */
  querystring: string;
  headers: IncomingHttpHeaders;
}

function sortedQuery(querystring: string): string {
  if (querystring === '' || !querystring.includes('&')) return querystring;
  return querystring.split('&').sort().join('&');
}

/**
 * `?format=` as Koa's `ctx.query.format` reads it: the value when the key appears once,
 * else undefined. Most queries name no format, and a `format` key can only be spelt with
 * those letters or with percent escapes, so those queries are not parsed at all.
 */
export function formatParam(querystring: string): string | undefined {
  if (querystring === '' || (!querystring.includes('format') && !querystring.includes('%'))) return undefined;
  const values = new URLSearchParams(querystring).getAll('format');
  return values.length === 1 ? values[0] : undefined;
}

function headerText(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : value;
}

function credentialHash(headers: IncomingHttpHeaders, names: readonly string[]): string {
  let material = '';
  for (const name of names) {
    const value = headerText(headers[name]);
    if (value) material += `${name}\u0000${value}\u0000`;
  }
  return material === '' ? '-' : createHash('sha256').update(material).digest('base64url');
}

function requestFormat(parts: KeyParts): ResponseFormat | undefined {
  return negotiateFormat(headerText(parts.headers.accept) || undefined, formatParam(parts.querystring));
}

export function rawAliasKey(parts: KeyParts, authHeaders: readonly string[] = DEFAULT_AUTH_HEADERS): string {
  const format = requestFormat(parts);
  return `${parts.path}?${sortedQuery(parts.querystring)}\u0000${format ?? '?'}\u0000${credentialHash(parts.headers, authHeaders)}`;
}
