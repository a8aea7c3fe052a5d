/**
 * The admin credential for the mutating `/_flapi/*` routes (cache refresh and whatever
 * else changes server state), the cache report and, when configured, `/_flapi/metrics`. It is a bearer
 * token compared by digest in constant time. With no token configured those routes
 * answer only clients on the loopback interface (judged by the socket, never by a
 * forwarded header, and never when the address is unknown or the server sits behind a
 * trusted proxy), so a fresh project is safe by default.
 */
import { timingSafeEqual } from 'node:crypto';
import type { AdminSpec } from '../manifest.js';
import { apiKeyDigest, storedKeyDigest } from './api-key.js';
import { isReservedPath } from './canonical-path.js';
import { authorizationValue, type RequestHeaders } from './authenticator.js';
import { resolveOptionalSecret, type Environment } from './secret-value.js';

export type AdminVerdict = 'ok' | 'missing' | 'invalid' | 'loopback-only';

export interface AdminGuard {
  /** Does this request need the admin credential? */
  guards(method: string, path: string): boolean;
  check(headers: RequestHeaders, remoteAddress: string | undefined): AdminVerdict;
  /** An admin token is configured (else admin routes answer local clients only). */
  readonly hasToken: boolean;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Probes must answer load balancers without credentials. */
const OPEN_PATHS = new Set(['/_flapi/health', '/_flapi/ready']);

export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * `behindProxy`: the server trusts X-Forwarded-* (`trust-proxy`), so a loopback socket is
 * most likely a local reverse proxy relaying anyone: no request counts as local then.
 */
export function createAdminGuard(spec: AdminSpec | undefined, env: Environment, behindProxy = false): AdminGuard {
  const token = resolveOptionalSecret(spec?.token, env);
  if (spec?.token !== undefined && 'env' in spec.token && token === undefined) {
    throw new Error(`the admin token comes from the environment variable ${spec.token.env}, which is not set; set it before starting the server`);
  }
  const digest = token === undefined ? undefined : storedKeyDigest(token);
  const protectMetrics = spec?.protectMetrics ?? false;
  return {
    hasToken: digest !== undefined,
    guards(method, path) {
      // Paths arrive canonical; the prefix is still compared in any case, so a spelling
      // the router might accept can only ever be guarded more, never less.
      if (!isReservedPath(path) || OPEN_PATHS.has(path)) return false;
      if (!READ_METHODS.has(method)) return true;
      const lower = path.toLowerCase();
      // The cache report carries refresh errors verbatim: source file paths, database
      // hosts and user names. flAPI's config service guards the same records.
      if (lower === '/_flapi/cache' || lower.startsWith('/_flapi/cache/')) return true;
      return protectMetrics && lower === '/_flapi/metrics';
    },
    check(headers, remoteAddress) {
      if (digest === undefined) return !behindProxy && isLoopback(remoteAddress) ? 'ok' : 'loopback-only';
      const presented = authorizationValue(headers, 'bearer');
      if (presented === undefined || presented === '') return 'missing';
      return timingSafeEqual(apiKeyDigest(presented), digest) ? 'ok' : 'invalid';
    },
  };
}
