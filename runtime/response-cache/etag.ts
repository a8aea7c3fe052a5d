/**
 * Strong ETags and `If-None-Match` evaluation.
 *
 * Evaluated here rather than with Koa's `ctx.fresh`: that one treats a request's
 * `Cache-Control: no-cache` as "never fresh", which is right for a shared cache but not for
 * the origin server, and `fetch()` adds exactly that header to every conditional request.
 */
import { createHash } from 'node:crypto';

/** A strong ETag for a body: a quoted, truncated SHA-256 in base64url. */
export function strongEtag(body: Uint8Array | string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** True when `If-None-Match` names this ETag (weak comparison, as RFC 9110 asks for GET). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const raw of ifNoneMatch.split(',')) {
    const candidate = raw.trim();
    if (candidate === '*') return true;
    if ((candidate.startsWith('W/') ? candidate.slice(2) : candidate) === bare) return true;
  }
  return false;
}
