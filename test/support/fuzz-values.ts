/**
 * Hostile values for the HTTP fuzz test and the ways they are put on the wire: random
 * unicode and control characters, injection payloads, 100 KB values, and percent-encoding
 * done right, twice, half or not at all.
 */
import fc from 'fast-check';
import { NUMBER_PAYLOADS, STRING_PAYLOADS } from './injection-payloads.js';

export const TENANTS = ['t1', 't2', 't3'] as const;

const LONG_UNITS = ['x', '%', '\u0000', 'é', '😀', 'a.', '%25', '\r\n'];

/** 1 KB to 100 KB of one repeated unit. */
export const longValue: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...LONG_UNITS), fc.constantFrom(1024, 16 * 1024, 100 * 1024))
  .map(([unit, size]) => unit.repeat(Math.ceil(size / unit.length)));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('\u0000', '\r', '\n', '\t', '\u007f', '\u2028', '\ufeff', '\ud800', '%', '&', '=', '#', '?', '/', '\\'), maxLength: 12 }) },
  { weight: 3, arbitrary: fc.constantFrom(...STRING_PAYLOADS.filter((s) => s.length < 1000), ...NUMBER_PAYLOADS) },
  { weight: 2, arbitrary: fc.constantFrom(...TENANTS, 'T1', 't1 ', 't4', 'open', 'SKU-001', 'alice', 'bob', '1', '-1', '0', '1e309') },
  { weight: 1, arbitrary: longValue },
);

export type Encoding = 'component' | 'plus' | 'double' | 'raw' | 'latin1' | 'broken';
export const encoding: fc.Arbitrary<Encoding> = fc.constantFrom<Encoding>('component', 'component', 'component', 'plus', 'double', 'raw', 'latin1', 'broken');

/** UTF-8 bytes as a one-char-per-byte string (lone surrogates become U+FFFD). */
export function utf8Bytes(value: string): string {
  return Buffer.from(value, 'utf8').toString('latin1');
}

function percent(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `value` as a query or path component on the wire, in one of the encodings. */
export function encode(value: string, how: Encoding): string {
  switch (how) {
    case 'component':
      return percent(value);
    case 'plus':
      return percent(value).replace(/%20/g, '+');
    case 'double':
      return percent(percent(value));
    case 'raw':
      return utf8Bytes(value);
    case 'latin1':
      return [...value].map((c) => (c.charCodeAt(0) <= 0xff && c.length === 1 ? c : utf8Bytes(c))).join('');
    case 'broken':
      return `${percent(value)}${['%', '%z', '%zz', '%e9', '%c0%af', '%00', '%ed%a0%80', '%%'][value.length % 8]}`;
  }
}

/** Ways to spell a route's path: case, slashes, dot segments, encoded characters. */
export type PathSpelling = 'as-is' | 'upper' | 'mixed' | 'trailing' | 'double-slash' | 'dot' | 'encoded-char' | 'encoded-slash' | 'semicolon' | 'backslash' | 'absolute';
export const pathSpelling: fc.Arbitrary<PathSpelling> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<PathSpelling>('as-is') },
  { weight: 4, arbitrary: fc.constantFrom<PathSpelling>('upper', 'mixed', 'trailing', 'double-slash', 'dot', 'encoded-char', 'encoded-slash', 'semicolon', 'backslash', 'absolute') },
);

export function spell(path: string, how: PathSpelling): string {
  switch (how) {
    case 'as-is':
      return path;
    case 'upper':
      return path.toUpperCase();
    case 'mixed':
      return [...path].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
    case 'trailing':
      return `${path}/`;
    case 'double-slash':
      return `/${path.replace(/\//g, '//')}`;
    case 'dot':
      return `/x/..${path.replace('/', '/./')}`;
    case 'encoded-char':
      return path.replace('o', '%6f').replace('r', '%72');
    case 'encoded-slash':
      return path.replace(/\/([^/]*)$/, '%2F$1');
    case 'semicolon':
      return `${path};v=1`;
    case 'backslash':
      return path.replace(/\//g, '\\');
    case 'absolute':
      return `http://evil.example${path}`;
  }
}
