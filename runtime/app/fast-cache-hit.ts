/**
 * Response-cache hits answered before Koa. A hit needs no Koa context, no middleware
 * chain and no router: the stored bytes and headers go straight to `res`. On the
 * flights example this is the difference between ~0.75× and ~1× of a bare Koa
 * "hello world" for a repeated read (bench/results/findings.md).
 *
 * It answers only what the Koa path would answer identically:
 * - GET requests in origin form (`/path?query`), so the path and query are exactly
 *   what Koa's `ctx.path`/`ctx.querystring` would read;
 * - entries the endpoint handler filed under the raw request (runtime/response-cache),
 *   which it does only for endpoints in `openEndpoints`: those that no middleware before
 *   the handler acts on (no auth, no rate limit, no CORS) and whose parameters all come
 *   from the path and query, so the raw request decides the plan's key;
 * and keeps what that path does: `X-Request-Id`, the security headers, ETag and
 * `If-None-Match` → 304, `X-Cache: HIT`, `Cache-Control` as of now, the hit counter and
 * the request metrics under the endpoint's name.
 * Anything else returns false and the caller hands the request to Koa.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Manifest } from '../manifest.js';
import type { Metrics } from '../metrics/index.js';
import { etagMatches, type ResponseCache } from '../response-cache/index.js';
import { requestIdOf } from './request-id.js';
import { logAccess } from './access-log.js';
import type { Logger } from './logger.js';
import { HSTS, STATIC_SECURITY_HEADERS } from '../security/security-headers.js';

export interface FastCacheHitOptions {
  cache: ResponseCache;
  metrics: Metrics;
  /** Endpoint names whose cached responses may skip the middleware chain. */
  openEndpoints: ReadonlySet<string>;
  /** Gets the same access line Koa's path writes (runtime/app/access-log.ts). */
  logger?: Logger;
}

/**
 * Endpoints whose cached responses may be answered before Koa: those with no auth and no
 * rate limit of their own, in a project with no global auth, rate limit or CORS and no
 * HTTPS enforcement. A policy block that is present but disabled still counts as present:
 * whatever the middleware makes of it, the fast path stays out of its way.
 */
export function openEndpointNames(manifest: Manifest): Set<string> {
  const open = new Set<string>();
  if (manifest.auth !== undefined || manifest.rateLimit !== undefined || manifest.cors !== undefined || manifest.server.enforceHttps) {
    return open;
  }
  for (const endpoint of manifest.endpoints) {
    // The raw request line decides the answer only when no parameter comes from a header or the body.
    const rawDecides = endpoint.params.every((p) => p.in === 'query' || p.in === 'path');
    if (endpoint.urlPath !== undefined && endpoint.auth === undefined && endpoint.rateLimit === undefined && rawDecides) open.add(endpoint.name);
  }
  return open;
}

export type FastCacheHit = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Characters after which Koa's URL parser (parseurl) would read the path differently
 * from a plain split at `?`: whitespace and `#` send it to `url.parse`.
 */
const PLAIN_URL = /^\/[^#\s\u00a0\ufeff]*$/;

export function createFastCacheHit(options: FastCacheHitOptions): FastCacheHit {
  const { cache, metrics, openEndpoints, logger } = options;
  return function answerFromCache(req, res) {
    if (req.method !== 'GET') return false;
    const url = req.url ?? '';
    if (!PLAIN_URL.test(url)) return false;
    const start = process.hrtime.bigint();
    const mark = url.indexOf('?');
    const path = mark === -1 ? url : url.slice(0, mark);
    const querystring = mark === -1 ? '' : url.slice(mark + 1);
    const entry = cache.lookup({ path, querystring, headers: req.headers });
    if (entry === undefined || entry.endpoint === undefined || !openEndpoints.has(entry.endpoint)) return false;

    cache.countHit();
    const requestId = requestIdOf(req.headers['x-request-id']);
    res.setHeader('X-Request-Id', requestId);
    for (const name in STATIC_SECURITY_HEADERS) res.setHeader(name, STATIC_SECURITY_HEADERS[name]!);
    if ((req.socket as { encrypted?: boolean }).encrypted === true) res.setHeader('Strict-Transport-Security', HSTS);
    const notModified = etagMatches(req.headers['if-none-match'], entry.etag);
    for (const name in entry.headers) {
      // Koa drops the content headers of a body-less 304.
      if (notModified && name === 'content-type') continue;
      res.setHeader(name, entry.headers[name]!);
    }
    res.setHeader('ETag', entry.etag);
    res.setHeader('X-Cache', 'HIT');
    const control = cache.cacheControlOf(entry);
    if (control !== undefined) res.setHeader('Cache-Control', control);
    if (notModified) {
      res.statusCode = 304;
      res.end();
    } else {
      res.statusCode = entry.status;
      res.setHeader('Content-Length', entry.body.length);
      res.end(entry.body);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    metrics.observeRequest(entry.endpoint, 'GET', res.statusCode, seconds);
    if (logger !== undefined) {
      logAccess(logger, { method: 'GET', path, status: res.statusCode, ms: Math.round(seconds * 10_000) / 10, cache: 'hit', request_id: requestId });
    }
    return true;
  };
}
