/**
 * From a verified token's claims to the caller: which claim names the user, their email
 * and roles. Paths are dotted so nested claims (`realm_access.roles`) work; roles may be
 * a list or a space/comma separated string (OAuth's `scope` style).
 */
import type { ClaimsSpec } from '../manifest.js';
import type { AuthContext } from './auth-context.js';

function claimAt(payload: Record<string, unknown>, path: string): unknown {
  if (Object.prototype.hasOwnProperty.call(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function rolesFrom(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((v) => v !== '');
  return [];
}

export function authFromClaims(payload: Record<string, unknown>, claims: ClaimsSpec, type: string): AuthContext {
  const auth: AuthContext = { authenticated: true, roles: rolesFrom(claimAt(payload, claims.roles)), type };
  const username = claimAt(payload, claims.username) ?? payload['sub'];
  if (typeof username === 'string' || typeof username === 'number') auth.username = String(username);
  const email = claimAt(payload, claims.email);
  if (typeof email === 'string') auth.email = email;
  return auth;
}
