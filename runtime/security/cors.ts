/**
 * CORS from an allowlist. No origin is allowed unless listed; `*` allows any origin but
 * never together with credentials (a browser would then send cookies and Authorization
 * from any site), so with `credentials: true` a `*` entry is ignored. Preflights are
 * answered here, before authentication, because browsers send them without credentials.
 * A state-changing request from a foreign origin that is not allowed is refused outright,
 * which also stops cross-site form posts riding on a browser's stored Basic credentials.
 */
import type { Context } from 'koa';
import type { CorsSpec } from '../manifest.js';

const DEFAULT_HEADERS = ['Authorization', 'Content-Type', 'X-API-Key', 'X-Request-Id', 'If-None-Match'];
const EXPOSED = ['X-Request-Id', 'X-Total-Count', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After', 'ETag', 'Link', 'X-Truncated'];
const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type CorsOutcome = 'continue' | 'answered';

function normalise(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

export interface CorsPolicy {
  /** Sets CORS headers, answers preflights, refuses foreign unsafe requests. */
  apply(ctx: Context, extraHeaders: readonly string[]): CorsOutcome;
}

export function createCorsPolicy(spec: CorsSpec | undefined): CorsPolicy {
  const enabled = spec?.enabled === true;
  const credentials = enabled && spec!.credentials;
  const listed = new Set((spec?.allowedOrigins ?? []).map(normalise));
  const wildcard = enabled && listed.has('*') && !credentials;
  listed.delete('*');
  const maxAge = String(spec?.maxAge ?? 600);

  const allowed = (origin: string): boolean => enabled && (wildcard || listed.has(normalise(origin)));
  const methods = spec?.allowedMethods === undefined ? undefined : new Set(spec.allowedMethods.map((m) => m.toUpperCase()));
  const methodAllowed = (method: string): boolean => methods === undefined || methods.has(method.toUpperCase());

  return {
    apply(ctx, extraHeaders) {
      const origin = ctx.get('Origin');
      if (origin === '') return 'continue';
      const sameOrigin = normalise(origin) === normalise(`${ctx.protocol}://${ctx.host}`);
      const ok = allowed(origin);
      if (ok) {
        ctx.set('Access-Control-Allow-Origin', wildcard ? '*' : origin);
        if (credentials) ctx.set('Access-Control-Allow-Credentials', 'true');
        ctx.vary('Origin');
      }
      const preflight = ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '';
      if (preflight) {
        if (!ok || !methodAllowed(ctx.get('Access-Control-Request-Method'))) {
          ctx.status = 403;
          ctx.body = { error: ok
            ? `method ${ctx.get('Access-Control-Request-Method')} is not allowed cross-origin (cors.allow-methods)`
            : 'this origin is not allowed to call the API (cors.allowed-origins)' };
          return 'answered';
        }
        ctx.set('Access-Control-Allow-Methods', spec?.allowedMethods?.join(', ') ?? METHODS);
        ctx.set('Access-Control-Allow-Headers', [...(spec?.allowedHeaders ?? DEFAULT_HEADERS), ...extraHeaders].join(', '));
        ctx.set('Access-Control-Max-Age', maxAge);
        ctx.status = 204;
        return 'answered';
      }
      if (ok) {
        ctx.set('Access-Control-Expose-Headers', EXPOSED.join(', '));
        return 'continue';
      }
      if (!SAFE_METHODS.has(ctx.method) && !sameOrigin) {
        ctx.status = 403;
        ctx.body = { error: 'cross-origin requests that change data are refused from this origin (cors.allowed-origins)' };
        return 'answered';
      }
      return 'continue';
    },
  };
}
