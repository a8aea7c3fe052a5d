/**
 * One spelling of every request path, shared by the router, the endpoint matcher and
 * every guard (admin routes, probes, MCP, docs). A guard that compared one spelling while
 * the router matched another would let `/_FLAPI/...` or `/%5Fflapi/...` past the admin
 * check, so the path is rewritten once, before anything reads it, and the router matches
 * case-sensitively (as flAPI's own server does) against that same text.
 *
 * Canonical means: percent-encoded unreserved characters decoded (`%5F` is `_`), other
 * escapes in upper case and left encoded (`%2F` stays data, never a separator), `.` and
 * `..` segments resolved, repeated slashes collapsed and a trailing slash dropped.
 */
import type { Context, Next } from 'koa';

/** Options every router and matcher in the app is built with. */
export const ROUTER_OPTIONS = Object.freeze({ sensitive: true, strict: false });

const ESCAPE = /%([0-9A-Fa-f]{2})/g;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

function decodeUnreserved(path: string): string {
  return path.replace(ESCAPE, (_escape, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

export function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of decodeUnreserved(path).split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

/**
 * The path a route is registered under: an endpoint's `url-path` in canonical form, so
 * `/items/` (flAPI writes trailing slashes) matches the canonical `/items` requests become.
 */
export function routePath(urlPath: string): string {
  return canonicalPath(urlPath);
}

/** The first middleware: everything after it sees only the canonical path. */
export async function canonicalPathMiddleware(ctx: Context, next: Next): Promise<void> {
  const path = ctx.path;
  const canonical = canonicalPath(path);
  if (canonical !== path) ctx.path = canonical;
  await next();
}

/** Is this (canonical) path under the reserved `/_flapi` prefix, in any letter case? */
export function isReservedPath(path: string): boolean {
  return /^\/_flapi(?:\/|$)/i.test(path);
}
