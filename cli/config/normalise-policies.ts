import type { AdminSpec, CorsSpec, RateLimitSpec } from '../../runtime/manifest.js';
import { apiKeyHash } from '../../runtime/security/api-key.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { secretSource } from './secret-source.js';
import { asBoolean, asMap, asNumber, asString, asStringList, durationSeconds } from './yaml-values.js';
import type { YamlDocument, YamlPath } from './yaml-document.js';

/** `rate_limit` / `rate-limit`. The Redis URL may carry a password, so `{{env.X}}` stays a reference. */
export function normaliseRateLimit(value: unknown, doc: YamlDocument, path: YamlPath): RateLimitSpec | undefined {
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
  const url = asString(store.url);
  if (asString(store.type) === 'redis' && url !== undefined) {
    const prefix = asString(store.prefix);
    spec.store = { type: 'redis', url: secretSource(doc, [...path, 'store', 'url'], url), ...(prefix ? { prefix } : {}) };
  } else if (map.store !== undefined) {
    spec.store = { type: 'memory' };
  }
  return spec;
}

/** `cors:`; flAPI spells the list `allow-origins`. */
export function normaliseCors(value: unknown): CorsSpec | undefined {
  if (value === undefined || value === null) return undefined;
  const map = asMap(value);
  const spec: CorsSpec = {
    enabled: asBoolean(map.enabled, true),
    allowedOrigins: asStringList(map['allowed-origins'] ?? map['allow-origins'] ?? map.allowedOrigins ?? map.origins),
    credentials: asBoolean(map.credentials ?? map['allow-credentials'], false),
  };
  // flAPI spells them allow-headers / allow-methods.
  const headers = map['allowed-headers'] ?? map['allow-headers'];
  if (headers !== undefined) spec.allowedHeaders = asStringList(headers);
  const methods = map['allowed-methods'] ?? map['allow-methods'];
  if (methods !== undefined) spec.allowedMethods = asStringList(methods).map((m) => m.toUpperCase());
  const maxAge = durationSeconds(map['max-age']);
  if (maxAge !== undefined) spec.maxAge = maxAge;
  return spec;
}

/** `admin: { token, protect-metrics }`: the credential of the mutating `/_flapi/*` routes. */
export function normaliseAdmin(value: unknown, doc: YamlDocument, diagnostics: Diagnostic[]): AdminSpec | undefined {
  if (value === undefined || value === null) return undefined;
  const map = asMap(value);
  const spec: AdminSpec = { protectMetrics: asBoolean(map['protect-metrics'], false) };
  const hash = asString(map['token-hash']);
  const token = asString(map.token);
  if (hash !== undefined) {
    if (/^sha256:[0-9a-f]{64}$/i.test(hash)) spec.token = { value: hash.toLowerCase() };
    else diagnostics.push({ severity: 'error', ...doc.locate(['admin', 'token-hash']), code: 'admin-token',
      message: '`admin.token-hash` must be `sha256:` and 64 hex digits; make one with `flapi auth hash-key`' });
  } else if (token !== undefined) {
    const source = secretSource(doc, ['admin', 'token'], token);
    // An inline token is kept only as its digest.
    if ('env' in source) spec.token = source;
    else if (token !== '') spec.token = { value: apiKeyHash(token) };
  }
  return spec;
}
