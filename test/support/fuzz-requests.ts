/**
 * Whole fuzz requests against test/fixtures/fuzz-shop: a caller and a credential, a route
 * (its path spelled many ways, or any other path), a method, query pairs, headers and a
 * body. Each carries what an answer may hold: rows of which owners and which tenants.
 */
import fc from 'fast-check';
import type { WireRequest } from './fuzz-client.js';
import { TENANTS, encode, encoding, hostileString, longValue, pathSpelling, spell, utf8Bytes, type Encoding, type PathSpelling } from './fuzz-values.js';

export const CALLERS = ['alice', 'bob', 'carol'] as const;
export type Caller = (typeof CALLERS)[number];

export interface FuzzRequest extends WireRequest {
  /** Owners whose rows the answer may hold (the callers whose valid token was sent). */
  owners: string[];
  /** Tenants the request named anywhere; undefined when any tenant of the owner is fine. */
  tenants?: string[];
}

/** Token kinds: a valid token, or one that must prove no identity. */
type Credential = 'valid' | 'lower-scheme' | 'two-tokens' | 'none' | 'tampered' | 'alg-none' | 'foreign-secret' | 'garbage' | 'basic';
const credential = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Credential>('valid') },
  { weight: 4, arbitrary: fc.constantFrom<Credential>('lower-scheme', 'two-tokens', 'none', 'tampered', 'alg-none', 'foreign-secret', 'garbage', 'basic') },
);

export interface Tokens {
  valid: Record<Caller, string>;
  foreign: string;
  unsigned: string;
}

type Route = 'list' | 'search' | 'one' | 'other';
const OTHER_PATHS = ['/_flapi/health', '/_flapi/ready', '/_flapi/cache', '/_flapi/metrics', '/_FLAPI/Health', '/openapi.json', '/docs', '/mcp', '/', '*', '/api/v1/_config/endpoints', '/%2e%2e/%2e%2e/etc/passwd', '/../../etc/passwd', '/orders/../_flapi/cache'];
const METHODS = ['GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH', 'TRACE', 'PROPFIND', 'get', 'FOO'];
const QUERY_KEYS = ['status', 'q', 'sku', 'min_amount', 'format', 'limit', 'offset', 'tenant', 'id', 'ids', '__proto__', 'constructor', 'STATUS', 'q[]', ''];
const QUERY_VALUES = ['open', 'shipped', 'cancelled', 'SKU-003', '0', '10', '-1', '1.5', 'json', 'csv', 'ndjson', 'arrow', 'parquet', 'xml', 'JSON', 'csv,json', ...TENANTS];
const ACCEPTS = ['application/json', 'text/csv', 'application/x-ndjson', 'application/vnd.apache.arrow.stream', 'application/vnd.apache.parquet', '*/*', 'text/html', 'application/xml', 'text/csv;q=0.9, application/json;q=0.1', ''];
const CONTENT_TYPES = ['application/json', 'application/json', 'application/json; charset=utf-16', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1'];

const queryPair = fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), hostileString), fc.oneof(fc.constantFrom(...QUERY_VALUES), hostileString), encoding);
const headerValue = fc.oneof(fc.constantFrom(...ACCEPTS, 'gzip', 'br', '*;q=0', '"abc"', '*', 'bytes=0-1', '127.0.0.1', 'https', 'chunked', 'gzip, chunked', 'identity'), hostileString);
const extraHeader = fc.tuple(fc.constantFrom('Accept', 'Accept-Encoding', 'X-Forwarded-For', 'X-Forwarded-Proto', 'Origin', 'Cookie', 'If-None-Match', 'Range', 'X-Request-Id', 'Expect', 'Content-Encoding', 'Transfer-Encoding', 'X-Tenant'), headerValue);
const tenantHeader = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...TENANTS).map((t) => [['tenant', t]] as [string, string][]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...TENANTS), fc.constantFrom(...TENANTS)).map(([a, b]) => [['tenant', a], ['Tenant', b]] as [string, string][]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('TENANT', 'Tenant', 'x-tenant'), fc.constantFrom(...TENANTS)).map(([n, t]) => [[n, t]] as [string, string][]) },
  { weight: 1, arbitrary: hostileString.map((v) => [['tenant', v]] as [string, string][]) },
  { weight: 1, arbitrary: fc.constant([] as [string, string][]) },
);

/** A JSON body for /orders/search, valid or not, and the text it is sent as. */
const searchBody = fc.oneof(
  { weight: 6, arbitrary: fc.record({ tenant: fc.oneof(fc.constantFrom(...TENANTS), hostileString), ids: fc.option(hostileString), min_id: fc.option(fc.oneof(fc.integer({ min: -5, max: 200 }), hostileString)) }, { requiredKeys: ['tenant'] }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...TENANTS), fc.constantFrom(...TENANTS)).map(([a, b]) => `{"tenant":"${a}","tenant":"${b}"}`) },
  { weight: 1, arbitrary: fc.constantFrom(...TENANTS).map((t) => `{"__proto__":{"tenant":"t2","min_id":1},"constructor":{"prototype":{"x":1}},"tenant":"${t}"}`) },
  { weight: 1, arbitrary: fc.constantFrom('[]', 'null', '1', '"t1"', '{}', '{"tenant":null}', '{"tenant":["t1"]}', '{"tenant":{"$ne":"x"}}', '{"tenant":"t1","min_id":1e400}', '{"tenant":"t1"', '{tenant:"t1"}', '') },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 50_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
  { weight: 1, arbitrary: longValue.map((v) => JSON.stringify({ tenant: 't1', ids: v })) },
  { weight: 1, arbitrary: fc.oneof(hostileString, fc.constant('tenant=t1&min_id=2')) },
);

/** `arbitrary` once in `n` draws, else `none`. */
function rarely<T, N>(arbitrary: fc.Arbitrary<T>, n: number, none: N): fc.Arbitrary<T | N> {
  return fc.oneof({ weight: n - 1, arbitrary: fc.constant(none) }, { weight: 1, arbitrary });
}

const VALID_QUERY: [string, string][] = [
  ['status', 'open'], ['status', 'shipped'], ['q', 'note 1'], ['q', '%'], ['q', '_'], ['q', "'"], ['q', '100%'], ['sku', 'SKU-003'], ['min_amount', '10.5'],
  ['format', 'json'], ['format', 'csv'], ['format', 'ndjson'], ['format', 'arrow'], ['format', 'parquet'], ['limit', '5'], ['offset', '2'],
];

/** A request as most clients send it: valid caller, tenant and values, so rows come back. */
const plausible = fc.record({
  caller: fc.constantFrom(...CALLERS),
  other: fc.constantFrom(...CALLERS),
  credential: fc.constant<Credential>('valid'),
  route: fc.constantFrom<Route>('list', 'search', 'one'),
  spelling: fc.constantFrom<PathSpelling>('as-is', 'as-is', 'as-is', 'upper', 'trailing', 'double-slash', 'encoded-char'),
  otherPath: fc.constant('/'),
  id: fc.integer({ min: 1, max: 130 }).map(String),
  idEncoding: fc.constant<Encoding>('component'),
  oddMethod: rarely(fc.constantFrom('HEAD', 'OPTIONS'), 8, null),
  query: fc.array(fc.tuple(fc.constantFrom(...VALID_QUERY)).map(([[k, v]]) => [k, v, 'component'] as [string, string, Encoding]), { maxLength: 3 }),
  tenantHeader: fc.constantFrom(...TENANTS).map((t) => [['tenant', t]] as [string, string][]),
  headers: fc.array(fc.tuple(fc.constant('Accept'), fc.constantFrom(...ACCEPTS)), { maxLength: 1 }),
  manyHeaders: fc.constant(null),
  body: fc.record({ tenant: fc.constantFrom(...TENANTS), min_id: fc.integer({ min: 1, max: 130 }) }, { requiredKeys: ['tenant'] }).map((o) => JSON.stringify(o)),
  contentType: fc.constant(undefined),
  bodyEncoding: fc.constant<BufferEncoding>('utf8'),
  chunked: fc.boolean(),
});

/** Anything: hostile values everywhere, odd methods, broken bodies and framing. */
const hostile = fc.record({
  caller: fc.constantFrom(...CALLERS),
  other: fc.constantFrom(...CALLERS),
  credential,
  route: fc.constantFrom<Route>('list', 'list', 'search', 'search', 'one', 'other'),
  spelling: pathSpelling,
  otherPath: fc.oneof(fc.constantFrom(...OTHER_PATHS), hostileString.map((s) => `/${s}`)),
  id: fc.oneof(fc.integer({ min: 1, max: 130 }).map(String), hostileString),
  idEncoding: encoding,
  oddMethod: rarely(fc.oneof(fc.constantFrom(...METHODS), hostileString.map((s) => s.slice(0, 10))), 3, null),
  query: fc.array(queryPair, { maxLength: 6 }),
  tenantHeader,
  headers: fc.array(extraHeader, { maxLength: 4 }),
  manyHeaders: rarely(fc.constantFrom(60, 200, 1000), 20, null),
  body: searchBody,
  contentType: rarely(fc.oneof(fc.constantFrom(...CONTENT_TYPES), hostileString), 4, undefined),
  bodyEncoding: fc.constantFrom<BufferEncoding>('utf8', 'utf8', 'utf8', 'utf16le', 'latin1'),
  chunked: fc.boolean(),
});

export function fuzzRequest(tokens: Tokens): fc.Arbitrary<FuzzRequest> {
  return fc
    .oneof(plausible, hostile)
    .map((r) => {
      const base = r.route === 'list' ? '/orders' : r.route === 'search' ? '/orders/search' : r.route === 'one' ? `/orders/${encode(r.id, r.idEncoding)}` : r.otherPath;
      const path = r.route === 'other' ? utf8Bytes(base) : spell(base, r.spelling);
      const query = r.query.map(([k, v, how]) => `${encode(k, how)}=${encode(v, how)}`).join('&');
      const method = r.oddMethod ?? (r.route === 'search' ? 'POST' : 'GET');
      const headers: [string, string][] = [];
      const owners = authorize(headers, r.credential, tokens, r.caller, r.other);
      if (r.route !== 'search') headers.push(...r.tenantHeader.map(([n, v]) => [n, utf8Bytes(v)] as [string, string]));
      headers.push(...r.headers.map(([n, v]) => [n, utf8Bytes(v)] as [string, string]));
      for (let i = 0; i < (r.manyHeaders ?? 0); i++) headers.push([`X-Junk-${i}`, 'x']);
      const sendsBody = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method.toUpperCase()) || r.contentType !== undefined;
      if (sendsBody) headers.push(['Content-Type', utf8Bytes(r.contentType ?? 'application/json')]);
      const named = [...r.query.map(([, v]) => v), ...(r.route !== 'search' ? r.tenantHeader.map(([, v]) => v) : []), ...(sendsBody ? tenantsIn(r.body) : [])];
      return {
        method: utf8Bytes(method),
        target: query ? `${path}?${query}` : path,
        headers,
        ...(sendsBody ? { body: Buffer.from(r.body, r.bodyEncoding), chunked: r.chunked } : {}),
        owners,
        ...(r.route === 'one' ? {} : { tenants: TENANTS.filter((t) => named.some((v) => v.toLowerCase().includes(t))) }),
      };
    });
}

/** Adds the Authorization header(s); returns the owners whose rows the answer may hold. */
function authorize(headers: [string, string][], kind: Credential, tokens: Tokens, caller: Caller, other: Caller): string[] {
  const token = tokens.valid[caller];
  switch (kind) {
    case 'valid':
      headers.push(['Authorization', `Bearer ${token}`]);
      return [caller];
    case 'lower-scheme':
      headers.push(['authorization', `bearer ${token}`]);
      return [caller];
    case 'two-tokens':
      headers.push(['Authorization', `Bearer ${token}`], ['Authorization', `Bearer ${tokens.valid[other]}`]);
      return [caller, other];
    case 'none':
      return [];
    case 'tampered':
      headers.push(['Authorization', `Bearer ${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`]);
      return [];
    case 'alg-none':
      headers.push(['Authorization', `Bearer ${tokens.unsigned}`]);
      return [];
    case 'foreign-secret':
      headers.push(['Authorization', `Bearer ${tokens.foreign}`]);
      return [];
    case 'garbage':
      headers.push(['Authorization', `Bearer ${token.split('.').reverse().join('.')}`]);
      return [];
    case 'basic':
      headers.push(['Authorization', `Basic ${Buffer.from(`${caller}:x`).toString('base64')}`]);
      return [];
  }
}

/** Tenants a body mentions, in any of its forms. */
function tenantsIn(body: string): string[] {
  return TENANTS.filter((t) => body.toLowerCase().includes(t));
}
