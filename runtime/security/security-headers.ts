/**
 * Headers every response carries. They are set before the rest of the app runs, so a
 * route with its own needs (the docs page and its CSP) simply overrides them. The
 * below-Koa cache-hit path sets the same ones from {@link STATIC_SECURITY_HEADERS}.
 */
import type { Context, Next } from 'koa';

export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
  'Cross-Origin-Opener-Policy': 'same-origin',
});

/** Sent on HTTPS responses: browsers then refuse plain HTTP to this host for a year. */
export const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(options: { hsts: boolean }) {
  return async function setSecurityHeaders(ctx: Context, next: Next): Promise<void> {
    for (const name in STATIC_SECURITY_HEADERS) ctx.set(name, STATIC_SECURITY_HEADERS[name]!);
    if (options.hsts && ctx.secure) ctx.set('Strict-Transport-Security', HSTS);
    await next();
  };
}
