/**
 * `enforce-https`: plain-HTTP reads are redirected to HTTPS, anything else is refused
 * (a redirected POST would already have sent its body and credentials in the clear).
 * Behind a TLS-terminating proxy, `trust-proxy: true` lets `X-Forwarded-Proto` count.
 * Probes stay reachable over HTTP so a load balancer's health check keeps working.
 */
import type { Context } from 'koa';

const PROBES = new Set(['/_flapi/health', '/_flapi/ready']);
/** A Host header fit to put into a Location: a name or address and an optional port. */
const SANE_HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

const SANE_URL = /^\/[\x21-\x7e]*$/;

/** True when the request was answered (redirect or refusal). */
export function enforceHttps(ctx: Context): boolean {
  if (ctx.secure || PROBES.has(ctx.path)) return false;
  // The raw header, not Koa's reading of it (which extracts a host from `a/@b`).
  const host = (ctx.app.proxy && ctx.get('X-Forwarded-Host')) || ctx.get('Host');
  if ((ctx.method === 'GET' || ctx.method === 'HEAD') && SANE_HOST.test(host) && SANE_URL.test(ctx.url)) {
    ctx.status = 308;
    ctx.set('Location', `https://${host}${ctx.url}`);
    ctx.body = { error: 'use HTTPS' };
    return true;
  }
  ctx.status = 403;
  ctx.body = { error: 'this server accepts only HTTPS requests' };
  return true;
}
