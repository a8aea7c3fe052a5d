import type { AuthSpec, CorsSpec, RateLimitSpec } from '../../runtime/manifest.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { asBoolean, asMap, asNumber, asString, asStringList, camelCaseKeys, durationSeconds, type YamlMap } from './yaml-values.js';
import type { YamlDocument, YamlPath } from './yaml-document.js';

const AUTH_TYPES = ['basic', 'bearer', 'oidc', 'api-key'] as const;

/** `auth:` of flapi.yaml or of an endpoint. */
export function normaliseAuth(value: unknown, doc: YamlDocument, path: YamlPath, diagnostics: Diagnostic[]): AuthSpec | undefined {
  if (value === undefined || value === null) return undefined;
  const map = asMap(value);
  const type = (asString(map.type) ?? 'basic').toLowerCase();
  const known = (AUTH_TYPES as readonly string[]).includes(type) ? (type as AuthSpec['type']) : undefined;
  if (!known) {
    diagnostics.push({ severity: 'error', ...doc.locate([...path, 'type']), code: 'auth-type',
      message: `unknown auth type \`${type}\`; use one of ${AUTH_TYPES.join(', ')}` });
  }
  const { enabled, type: _type, roles, ...rest } = map;
  if (known === 'basic') checkPasswords(map, doc, path, diagnostics);
  const spec: AuthSpec = {
    enabled: asBoolean(enabled, true),
    type: known ?? 'basic',
    options: camelCaseKeys(rest) as Record<string, unknown>,
  };
  if (roles !== undefined) spec.roles = asStringList(roles);
  return spec;
}

function checkPasswords(map: YamlMap, doc: YamlDocument, path: YamlPath, diagnostics: Diagnostic[]): void {
  const users = Array.isArray(map.users) ? map.users : [];
  users.forEach((user, index) => {
    const password = asString(asMap(user).password);
    if (password === undefined || /^(pbkdf2|scrypt|\$2[aby]\$)/.test(password)) return;
    const md5 = /^[0-9a-f]{32}$/i.test(password);
    diagnostics.push({
      severity: 'warning', security: true, ...doc.locate([...path, 'users', index, 'password']), code: 'weak-password',
      message: `${md5 ? 'MD5-hashed' : 'plaintext'} password for user \`${asString(asMap(user).username) ?? index}\`; ` +
        'store a PBKDF2, bcrypt or scrypt hash instead',
    });
  });
}

/** `rate_limit` / `rate-limit`. */
export function normaliseRateLimit(value: unknown): RateLimitSpec | undefined {
  if (value === undefined || value === null) return undefined;
  const map = asMap(value);
  const key = asString(map.key);
  const spec: RateLimitSpec = {
    enabled: asBoolean(map.enabled, true),
    max: asNumber(map.max) ?? asNumber(map.requests) ?? 100,
    interval: durationSeconds(map.interval) ?? 60,
    key: key === 'user' || key === 'user-or-ip' ? key : 'ip',
  };
  const store = asMap(map.store);
  if (asString(store.type) === 'redis' && asString(store.url)) {
    const prefix = asString(store.prefix);
    spec.store = { type: 'redis', url: asString(store.url)!, ...(prefix ? { prefix } : {}) };
  } else if (map.store !== undefined) {
    spec.store = { type: 'memory' };
  }
  return spec;
}

export function normaliseCors(value: unknown): CorsSpec | undefined {
  if (value === undefined || value === null) return undefined;
  const map = asMap(value);
  return {
    enabled: asBoolean(map.enabled, true),
    allowedOrigins: asStringList(map['allowed-origins'] ?? map.allowedOrigins ?? map.origins),
    credentials: asBoolean(map.credentials ?? map['allow-credentials'], false),
  };
}
