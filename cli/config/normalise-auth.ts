/**
 * `auth:` blocks (global, per endpoint, `mcp.auth`) in flAPI's spelling: `type: basic`
 * with `users`, `type: bearer` (or `jwt`) with `jwt-secret` / `jwt-issuer`, `type: oidc`
 * with an `oidc:` block (or flat `issuer-url` / `client-id`), plus `type: api-key`.
 * Secrets written as `{{env.X}}` stay references; inline plaintext passwords are hashed
 * here (scrypt) and inline API keys and admin tokens digested, so the manifest a built
 * server embeds holds no usable credential written in the config.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApiKeySpec, AuthSpec, AuthUserSpec, ClaimsSpec, JwtSpec, OidcSpec, SecretSpec } from '../../runtime/manifest.js';
import { apiKeyHash } from '../../runtime/security/api-key.js';
import { hashPasswordSync, storedPasswordKind } from '../../runtime/security/password-hash.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { secretSource } from './secret-source.js';
import { asBoolean, asMap, asNumber, asString, asStringList, durationSeconds, type YamlMap } from './yaml-values.js';
import type { YamlDocument, YamlPath } from './yaml-document.js';

const AUTH_TYPES = ['basic', 'bearer', 'jwt', 'oidc', 'api-key'] as const;
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface AuthNormaliseContext {
  doc: YamlDocument;
  diagnostics: Diagnostic[];
  /** Folder of flapi.yaml, for `jwt-public-key-file`. */
  root: string;
}

function error(ctx: AuthNormaliseContext, path: YamlPath, code: string, message: string): void {
  ctx.diagnostics.push({ severity: 'error', ...ctx.doc.locate(path), code, message });
}

function claims(map: YamlMap, defaults: ClaimsSpec): ClaimsSpec {
  return {
    username: asString(map['username-claim']) ?? defaults.username,
    email: asString(map['email-claim']) ?? defaults.email,
    roles: asString(map['role-claim-path']) ?? asString(map['roles-claim']) ?? defaults.roles,
  };
}

const DEFAULT_CLAIMS: ClaimsSpec = { username: 'sub', email: 'email', roles: 'roles' };

/** Inline plaintext passwords become scrypt hashes; the salt is fixed per project and user so builds are reproducible. */
function passwordSpec(ctx: AuthNormaliseContext, path: YamlPath, password: string, username: string, salt: string): SecretSpec {
  const source = secretSource(ctx.doc, path, password);
  if ('env' in source || storedPasswordKind(password) !== 'plaintext') return source;
  const fixedSalt = createHash('sha256').update(`flapi\u0000${salt}\u0000${username}`).digest().subarray(0, 16);
  return { value: hashPasswordSync(password, { salt: fixedSalt }) };
}

function users(ctx: AuthNormaliseContext, map: YamlMap, path: YamlPath, salt: string): AuthUserSpec[] {
  const list = Array.isArray(map.users) ? map.users : [];
  return list.flatMap((raw, index): AuthUserSpec[] => {
    const user = asMap(raw);
    const username = asString(user.username) ?? '';
    const password = asString(user.password) ?? '';
    if (username === '') {
      error(ctx, [...path, 'users', index], 'auth-user', 'a user needs a non-empty `username` (an unset {{env.X}} substitutes as empty)');
      return [];
    }
    const passwordPath = [...path, 'users', index, 'password'];
    const source = secretSource(ctx.doc, passwordPath, password);
    if (password === '' && !('env' in source)) {
      error(ctx, passwordPath, 'auth-user', `user \`${username}\` needs a non-empty \`password\`; an empty one is never accepted`);
      return [];
    }
    const out: AuthUserSpec = { username, password: passwordSpec(ctx, passwordPath, password, username, salt), roles: asStringList(user.roles) };
    const email = asString(user.email);
    if (email !== undefined) out.email = email;
    return [out];
  });
}

function jwt(ctx: AuthNormaliseContext, map: YamlMap, path: YamlPath): JwtSpec {
  const spec: JwtSpec = {
    algorithms: [],
    audience: asStringList(map['jwt-audience'] ?? map.audience),
    clockSkewSeconds: durationSeconds(map['clock-skew-seconds'] ?? map['clock-skew']) ?? 60,
    requireExpiry: asBoolean(map['require-expiry'] ?? map['verify-expiration'], true),
    claims: claims(map, DEFAULT_CLAIMS),
  };
  const secret = asString(map['jwt-secret']);
  if (secret !== undefined) spec.secret = secretSource(ctx.doc, [...path, 'jwt-secret'], secret);
  const publicKey = asString(map['jwt-public-key']);
  const keyFile = asString(map['jwt-public-key-file']);
  if (publicKey !== undefined) {
    spec.publicKey = secretSource(ctx.doc, [...path, 'jwt-public-key'], publicKey);
  } else if (keyFile !== undefined) {
    try {
      // A public key is no secret: it is embedded so a built server needs no key file.
      spec.publicKey = { value: readFileSync(resolve(ctx.root, keyFile), 'utf8') };
    } catch (err) {
      error(ctx, [...path, 'jwt-public-key-file'], 'auth-key-file', `cannot read jwt-public-key-file ${keyFile}: ${(err as Error).message}`);
    }
  }
  const issuer = asString(map['jwt-issuer'] ?? map.issuer);
  if (issuer !== undefined) spec.issuer = issuer;
  const written = asStringList(map['jwt-algorithms'] ?? map.algorithms);
  spec.algorithms = written.length > 0 ? written : [...(spec.secret ? ['HS256', 'HS384', 'HS512'] : []), ...(spec.publicKey ? ['RS256', 'ES256', 'PS256'] : [])];
  if (spec.secret === undefined && spec.publicKey === undefined) {
    error(ctx, [...path, 'type'], 'auth-jwt', 'bearer auth needs `jwt-secret` (HS256) or `jwt-public-key` / `jwt-public-key-file` (RS256, ES256)');
  }
  if (spec.algorithms.some((a) => a.toLowerCase() === 'none')) {
    error(ctx, [...path, 'jwt-algorithms'], 'auth-jwt', '`none` is never an accepted JWT algorithm; remove it');
    spec.algorithms = spec.algorithms.filter((a) => a.toLowerCase() !== 'none');
  }
  return spec;
}

function oidc(ctx: AuthNormaliseContext, map: YamlMap, path: YamlPath): OidcSpec {
  // flAPI nests these under `oidc:`; flat keys on the auth block work too.
  const nested = map.oidc === undefined ? map : { ...map, ...asMap(map.oidc) };
  const cacheSeconds = durationSeconds(nested['jwks-cache-seconds']) ?? (asNumber(nested['jwks-cache-hours']) ?? 24) * 3600;
  const spec: OidcSpec = {
    audience: asStringList(nested['allowed-audiences'] ?? nested.audience),
    algorithms: asStringList(nested.algorithms).length > 0 ? asStringList(nested.algorithms) : ['RS256', 'ES256', 'PS256'],
    clockSkewSeconds: durationSeconds(nested['clock-skew-seconds']) ?? 300,
    requireExpiry: asBoolean(nested['verify-expiration'] ?? nested['require-expiry'], true),
    claims: claims(nested, DEFAULT_CLAIMS),
    jwksCacheSeconds: cacheSeconds,
  };
  const issuer = asString(nested['issuer-url'] ?? nested.issuer);
  if (issuer !== undefined) spec.issuerUrl = issuer;
  const jwks = asString(nested['jwks-url'] ?? nested['jwks-uri']);
  if (jwks !== undefined) spec.jwksUrl = jwks;
  const clientId = asString(nested['client-id']);
  if (clientId !== undefined) spec.clientId = clientId;
  if (spec.issuerUrl === undefined && spec.jwksUrl === undefined) {
    error(ctx, [...path, map.oidc === undefined ? 'type' : 'oidc'], 'auth-oidc', 'oidc auth needs `issuer-url` (its discovery document names the keys) or `jwks-url`');
  }
  const invalid = spec.algorithms.filter((a) => !ASYMMETRIC.includes(a));
  if (invalid.length > 0) {
    error(ctx, [...path, 'oidc'], 'auth-oidc', `OIDC tokens are verified with the provider's public keys; ${invalid.join(', ')} cannot be accepted`);
    spec.algorithms = spec.algorithms.filter((a) => ASYMMETRIC.includes(a));
  }
  return spec;
}

function apiKeys(ctx: AuthNormaliseContext, map: YamlMap, path: YamlPath): ApiKeySpec {
  const list = Array.isArray(map.keys) ? map.keys : [];
  const keys = list.flatMap((raw, index) => {
    const entry = asMap(raw);
    const name = asString(entry.name) ?? `key-${index + 1}`;
    const hash = asString(entry['key-hash']);
    const key = asString(entry.key);
    let stored: SecretSpec | undefined;
    if (hash !== undefined) {
      if (/^sha256:[0-9a-f]{64}$/i.test(hash)) stored = { value: hash.toLowerCase() };
      else error(ctx, [...path, 'keys', index, 'key-hash'], 'auth-api-key', '`key-hash` must be `sha256:` and 64 hex digits; make one with `flapi auth hash-key`');
      return stored === undefined ? [] : [{ name, key: stored, roles: asStringList(entry.roles) }];
    }
    if (key !== undefined) {
      const source = secretSource(ctx.doc, [...path, 'keys', index, 'key'], key);
      if ('env' in source) stored = source;
      else if (key !== '') stored = { value: apiKeyHash(key) };
    }
    if (stored === undefined) {
      error(ctx, [...path, 'keys', index], 'auth-api-key', `API key \`${name}\` needs \`key-hash: sha256:...\` or \`key: '{{env.NAME}}'\``);
    }
    return stored === undefined ? [] : [{ name, key: stored, roles: asStringList(entry.roles) }];
  });
  return { header: asString(map.header) ?? 'X-API-Key', keys };
}

/** An auth block; `salt` (the project name) makes compiled password hashes reproducible. */
export function normaliseAuth(value: unknown, path: YamlPath, ctx: AuthNormaliseContext, salt: string): AuthSpec | undefined {
  if (value === undefined || value === null) return undefined;
  const map = asMap(value);
  const written = asString(map.type)?.toLowerCase();
  const enabled = asBoolean(map.enabled, true);
  const roles = map.roles === undefined ? undefined : asStringList(map.roles);
  if (written !== undefined && !(AUTH_TYPES as readonly string[]).includes(written)) {
    error(ctx, [...path, 'type'], 'auth-type', `unknown auth type \`${written}\`; use one of ${AUTH_TYPES.join(', ')}`);
  }
  const type: AuthSpec['type'] = written === 'jwt' ? 'bearer' : written === 'bearer' || written === 'oidc' || written === 'api-key' ? written : 'basic';
  const spec: AuthSpec = { enabled, type };
  if (roles !== undefined) spec.roles = roles;
  const realm = asString(map.realm);
  if (realm !== undefined) spec.realm = realm;
  if (map['public-docs'] !== undefined) spec.publicDocs = asBoolean(map['public-docs'], false);
  // A block without a type or credentials of its own (`auth: { roles: [admin] }`) narrows the global method.
  const ownMethod = written !== undefined || map.users !== undefined || map['jwt-secret'] !== undefined || map.keys !== undefined;
  if (!enabled || !ownMethod) return spec;
  switch (type) {
    case 'basic':
      spec.users = users(ctx, map, path, salt);
      break;
    case 'bearer':
      spec.jwt = jwt(ctx, map, path);
      break;
    case 'oidc':
      spec.oidc = oidc(ctx, map, path);
      break;
    case 'api-key':
      spec.apiKey = apiKeys(ctx, map, path);
      break;
  }
  return spec;
}
