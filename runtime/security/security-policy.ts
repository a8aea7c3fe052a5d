/**
 * Everything the security middleware decides per endpoint, worked out once when the app
 * starts: which authenticator guards it (its own auth block, else the global one), which
 * roles it needs, and which rate limits count its requests. Secrets are resolved here, so
 * a missing one stops the app before it serves anything.
 */
import type { AuthSpec, EndpointSpec, Manifest, RateLimitSpec } from '../manifest.js';
import type { Logger } from '../app/logger.js';
import type { Authenticator } from './authenticator.js';
import { createAuthenticator } from './create-authenticator.js';
import { effectiveAuth } from './effective-auth.js';
import { MemoryRateLimitStore } from './rate-limit-memory-store.js';
import { RedisRateLimitStore } from './rate-limit-redis-store.js';
import type { RateLimitStore } from './rate-limit-store.js';
import { RateLimit } from './rate-limit.js';
import { resolveSecret, type Environment } from './secret-value.js';

export interface Guard {
  /** Undefined: the endpoint is open. */
  authenticator?: Authenticator;
  /** One of these is needed; empty: any authenticated caller. */
  roles: string[];
  limits: RateLimit[];
}

export interface SecurityPolicy {
  guardFor(endpoint: EndpointSpec): Guard;
  /** `/mcp` itself: `mcp.auth`, else the global auth. */
  mcp: Guard;
  /** Requests that are no endpoint (`GET /_flapi/cache`, docs, 404s): the global auth and limit. */
  other: Guard;
  /** The docs and OpenAPI document: like `other`, or open with `auth.public-docs: true`. */
  docs: Guard;
  /** Routes with a guard of their own (admin token, `/_flapi/metrics`): the global limit only. */
  unauthenticated: Guard;
  /** Header names credentials arrive in, for CORS preflights. */
  credentialHeaders: string[];
  /** Nothing is authenticated or limited anywhere: requests need no endpoint lookup. */
  open: boolean;
  close(): Promise<void>;
}

function createStore(spec: RateLimitSpec | undefined, env: Environment, logger: Logger): RateLimitStore {
  const store = spec?.store;
  if (store?.type !== 'redis') return new MemoryRateLimitStore();
  let warned = 0;
  return new RedisRateLimitStore({
    url: resolveSecret(store.url, env, 'the rate-limit Redis URL'),
    ...(store.prefix !== undefined ? { prefix: store.prefix } : {}),
    onError: (err) => {
      // One line per minute is enough to notice; a line per request would flood the log.
      if (Date.now() - warned < 60_000) return;
      warned = Date.now();
      logger.warn('rate-limit store unavailable; requests are not being limited', { error: err.message });
    },
  });
}

export function createSecurityPolicy(manifest: Manifest, env: Environment, logger: Logger): SecurityPolicy {
  const built = new Map<AuthSpec, Authenticator>();
  const authenticatorFor = (spec: AuthSpec): Authenticator => {
    let authenticator = built.get(spec);
    if (authenticator === undefined) {
      authenticator = createAuthenticator(spec, env);
      built.set(spec, authenticator);
    }
    return authenticator;
  };
  const guardOf = (own: AuthSpec | undefined, limits: RateLimit[]): Guard => {
    const auth = effectiveAuth(own, manifest.auth);
    return auth === undefined ? { roles: [], limits } : { authenticator: authenticatorFor(auth.method), roles: auth.roles, limits };
  };

  const store = manifest.rateLimit?.enabled || manifest.endpoints.some((e) => e.rateLimit?.enabled)
    ? createStore(manifest.rateLimit, env, logger)
    : undefined;
  const globalLimit = store && manifest.rateLimit?.enabled ? new RateLimit(manifest.rateLimit, 'global', store) : undefined;
  const globalLimits = globalLimit ? [globalLimit] : [];

  const guards = new Map<EndpointSpec, Guard>();
  for (const endpoint of manifest.endpoints) {
    const own = endpoint.rateLimit;
    const limits = own?.enabled === false ? [] : [...globalLimits];
    if (own?.enabled && store) limits.push(new RateLimit(own, endpoint.name, store));
    guards.set(endpoint, guardOf(endpoint.auth, limits));
  }

  const credentialHeaders = new Set<string>();
  for (const spec of [manifest.auth, manifest.mcp?.auth, ...manifest.endpoints.map((e) => e.auth)]) {
    if (spec?.type === 'api-key') credentialHeaders.add(spec.apiKey?.header ?? 'X-API-Key');
  }
  // Build every authenticator now: a missing secret must stop the app, not fail the first request.
  const mcp = guardOf(manifest.mcp?.auth, globalLimits);

  const other = guardOf(undefined, globalLimits);
  const open: Guard = { roles: [], limits: globalLimits };
  return {
    open: store === undefined && built.size === 0,
    guardFor: (endpoint) => guards.get(endpoint) ?? { roles: [], limits: globalLimits },
    mcp,
    other,
    docs: manifest.auth?.publicDocs === true ? open : other,
    unauthenticated: open,
    credentialHeaders: [...credentialHeaders],
    close: async () => {
      await store?.close();
    },
  };
}
