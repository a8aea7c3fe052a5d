/**
 * What every authentication method implements: read its credential from the request,
 * verify it, and say who the caller is, or why not.
 */
import type { AuthSpec } from '../manifest.js';
import type { AuthContext } from './auth-context.js';

export type AuthOutcome =
  | { kind: 'ok'; auth: AuthContext }
  /** The request carries no credential this method reads. */
  | { kind: 'missing' }
  /** A credential was sent and is wrong (bad signature, expired, unknown key...). */
  | { kind: 'invalid'; reason: string }
  /** The credential cannot be checked right now (identity provider unreachable). */
  | { kind: 'unavailable'; reason: string };

/** Request headers by lower-case name, as Node gives them. */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface Authenticator {
  readonly type: AuthSpec['type'];
  /** The `WWW-Authenticate` value of a 401; `reason` goes into the error description. */
  challenge(reason?: string): string;
  authenticate(headers: RequestHeaders): Promise<AuthOutcome>;
}

export function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** `Authorization: <scheme> <value>`, case-insensitive scheme; undefined for other schemes. */
export function authorizationValue(headers: RequestHeaders, scheme: string): string | undefined {
  const header = headerValue(headers, 'authorization');
  if (header === undefined) return undefined;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== scheme.toLowerCase()) return undefined;
  return header.slice(space + 1).trim();
}

/** A quoted-string for a challenge parameter: no quotes, backslashes or control characters. */
export function quoted(text: string): string {
  return `"${text.replace(/[\\"\u0000-\u001f\u007f]/g, ' ').slice(0, 200)}"`;
}
