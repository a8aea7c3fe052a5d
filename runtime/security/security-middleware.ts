/**
 * The security middleware (contract C1): it runs before the response cache, MCP and the
 * routes, so nothing is ever answered, from cache or otherwise, to a caller who has not
 * passed it. Per request: CORS and HTTPS rules, the admin credential for `/_flapi/*`
 * writes, authentication (401 with `WWW-Authenticate`), roles (403), rate limits
 * (429 with `Retry-After`), and then `ctx.state.auth` for everything downstream.
 */
import type { Context, Middleware, Next } from 'koa';
import type { Manifest } from '../manifest.js';
import type { Logger } from '../app/logger.js';
import { mcpPaths } from '../mcp/mcp-paths.js';
import { createAdminGuard } from './admin-auth.js';
import { ANONYMOUS, authOf, hasRole, type AuthContext } from './auth-context.js';
import type { Authenticator, AuthOutcome } from './authenticator.js';
import { createCorsPolicy } from './cors.js';
import type { EndpointAccess } from './endpoint-access.js';
import { createEndpointMatcher } from './endpoint-matcher.js';
import { enforceHttps } from './https-enforcement.js';
import { rateLimitHeaders, tightest, type RateLimit } from './rate-limit.js';
import { createSecurityPolicy, type Guard } from './security-policy.js';
import type { Environment } from './secret-value.js';

export interface SecurityOptions {
  env: Environment;
  logger: Logger;
}

export interface Security {
  middleware: Middleware;
  /** Closes the rate-limit store (Redis connection). */
  close(): Promise<void>;
}

const PROBES = new Set(['/_flapi/health', '/_flapi/ready']);
/** What `auth.public-docs: true` opens (runtime/docs/docs-routes.ts serves them). */
const DOC_PATHS = new Set(['/openapi.json', '/doc.yaml', '/docs', '/doc', '/docs/docs.js', '/docs/docs.css']);
const DEFAULT_MAX_QUERY_PARAMS = 1000;

function countParams(querystring: string, max: number): boolean {
  let count = querystring === '' ? 0 : 1;
  for (let i = 0; i < querystring.length; i++) {
    if (querystring.charCodeAt(i) === 38 /* & */ && ++count > max) return false;
  }
  return count <= max;
}

function deny(ctx: Context, status: number, error: string, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
  ctx.status = status;
  ctx.body = { error };
}

async function charge(limits: readonly RateLimit[], ip: string, auth: AuthContext, ctx: Context): Promise<boolean> {
  if (limits.length === 0) return true;
  const verdict = tightest(await Promise.all(limits.map((limit) => limit.hit(ip, auth))));
  if (verdict === undefined) return true;
  for (const [name, value] of Object.entries(rateLimitHeaders(verdict))) ctx.set(name, value);
  if (!verdict.exceeded) return true;
  deny(ctx, 429, 'too many requests; wait for the time in Retry-After');
  return false;
}

export function createSecurity(manifest: Manifest, options: SecurityOptions): Security {
  const policy = createSecurityPolicy(manifest, options.env, options.logger);
  const admin = createAdminGuard(manifest.admin, options.env, manifest.server.trustProxy === true);
  const cors = createCorsPolicy(manifest.cors);
  const matcher = createEndpointMatcher(manifest.endpoints);
  const mcp = new Set(manifest.mcp?.enabled === false ? [] : mcpPaths(manifest));
  const maxParams = manifest.server.httpLimits?.maxQueryParams ?? DEFAULT_MAX_QUERY_PARAMS;
  const httpsOnly = manifest.server.enforceHttps;

  async function secure(ctx: Context, next: Next): Promise<void> {
    if (!countParams(ctx.querystring, maxParams)) {
      return deny(ctx, 414, `too many query parameters (at most ${maxParams})`);
    }
    if (cors.apply(ctx, policy.credentialHeaders) === 'answered') return;
    if (httpsOnly && enforceHttps(ctx)) return;
    if (PROBES.has(ctx.path)) {
      ctx.state['auth'] = ANONYMOUS;
      return next();
    }

    const adminGuarded = admin.guards(ctx.method, ctx.path);
    if (adminGuarded) {
      const verdict = admin.check(ctx.headers, ctx.req.socket.remoteAddress);
      if (verdict === 'loopback-only') return deny(ctx, 403, 'admin routes answer only local clients until admin.token is configured');
      if (verdict !== 'ok') {
        return deny(ctx, 401, 'admin credential required', { 'WWW-Authenticate': 'Bearer realm="flapi-admin"' });
      }
    }

    if (policy.open) {
      // No auth and no limits anywhere: only an embedding app's verdict, if any, to pass on.
      ctx.state['auth'] = authOf(ctx.state);
      return next();
    }
    const endpoint = matcher.match(ctx.method, ctx.path);
    const guard: Guard = endpoint ? policy.guardFor(endpoint) : mcp.has(ctx.path) ? policy.mcp : otherGuard(ctx, adminGuarded);
    const ip = ctx.ip;
    // An embedding app may have verified the caller already (its own middleware in front);
    // on routes flapi guards itself, only flapi's verdict counts.
    let auth: AuthContext = guard.authenticator === undefined ? authOf(ctx.state) : ANONYMOUS;
    if (guard.authenticator !== undefined) {
      const outcome = await guard.authenticator.authenticate(ctx.headers);
      if (outcome.kind !== 'ok') {
        // Failed attempts count too, so guessing passwords runs into the limit.
        if (!(await charge(guard.limits, ip, ANONYMOUS, ctx))) return;
        return refuse(ctx, guard.authenticator, outcome);
      }
      auth = outcome.auth;
      if (!hasRole(auth, guard.roles)) {
        if (!(await charge(guard.limits, ip, auth, ctx))) return;
        return deny(ctx, 403, `requires role ${guard.roles.map((r) => `"${r}"`).join(' or ')}`);
      }
    }
    ctx.state['auth'] = auth;
    if (!(await charge(guard.limits, ip, auth, ctx))) return;
    if (mcp.has(ctx.path)) ctx.state['endpointAccess'] = endpointAccess(ctx, guard, auth);

    await next();
    // A response for a verified caller must not land in a shared HTTP cache.
    if (auth.authenticated && !ctx.headerSent && !ctx.response.get('Cache-Control')) ctx.set('Cache-Control', 'private');
  }

  const READS = new Set(['GET', 'HEAD']);

  /** Not an endpoint or MCP: docs, `/_flapi/*` and 404s. */
  function otherGuard(ctx: Context, adminGuarded: boolean): Guard {
    // Without an admin token, a local client reading the cache report still needs the
    // project's own credential (under global auth): loopback is not an identity.
    if (adminGuarded && !admin.hasToken && READS.has(ctx.method)) return policy.other;
    // The admin token (a bearer token of its own) and metrics' own setting guard these.
    if (adminGuarded || ctx.path === '/_flapi/metrics') return policy.unauthenticated;
    return DOC_PATHS.has(ctx.path) ? policy.docs : policy.other;
  }

  function refuse(ctx: Context, authenticator: Authenticator, outcome: Exclude<AuthOutcome, { kind: 'ok' }>): void {
    if (outcome.kind === 'unavailable') {
      options.logger.warn('authentication unavailable', { request_id: ctx.state['requestId'], reason: outcome.reason });
      return deny(ctx, 503, `authentication is unavailable: ${outcome.reason}`, { 'Retry-After': '5' });
    }
    const reason = outcome.kind === 'invalid' ? outcome.reason : undefined;
    deny(ctx, 401, reason === undefined ? 'authentication required' : `authentication failed: ${reason}`, {
      'WWW-Authenticate': authenticator.challenge(reason),
    });
  }

  /** For MCP: may this caller run `endpoint` as a tool? Each authenticator runs at most once per request. */
  function endpointAccess(ctx: Context, mcpGuard: Guard, mcpAuth: AuthContext): EndpointAccess {
    const outcomes = new Map<Authenticator, Promise<AuthOutcome>>();
    if (mcpGuard.authenticator !== undefined) outcomes.set(mcpGuard.authenticator, Promise.resolve({ kind: 'ok', auth: mcpAuth }));
    return async (endpoint) => {
      const guard = policy.guardFor(endpoint);
      let auth = mcpAuth;
      if (guard.authenticator !== undefined) {
        let pending = outcomes.get(guard.authenticator);
        if (pending === undefined) {
          pending = guard.authenticator.authenticate(ctx.headers);
          outcomes.set(guard.authenticator, pending);
        }
        const outcome = await pending;
        if (outcome.kind !== 'ok') {
          return { ok: false, message: outcome.kind === 'missing' ? 'requires authentication' : `refused: ${outcome.reason}` };
        }
        auth = outcome.auth;
        if (!hasRole(auth, guard.roles)) return { ok: false, message: `requires role ${guard.roles.map((r) => `"${r}"`).join(' or ')}` };
      }
      // The `/mcp` request already paid the global limit; an endpoint's own limit counts each call.
      const own = guard.limits.filter((limit) => !mcpGuard.limits.includes(limit));
      if (own.length > 0) {
        const verdict = tightest(await Promise.all(own.map((limit) => limit.hit(ctx.ip, auth))));
        if (verdict?.exceeded) {
          return { ok: false, message: `rate limit exceeded; retry in ${rateLimitHeaders(verdict)['Retry-After']} s` };
        }
      }
      return { ok: true, auth };
    };
  }

  return { middleware: secure, close: () => policy.close() };
}
