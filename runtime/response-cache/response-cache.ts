/**
 * The response cache for reads (SPEC §5): repeated identical GETs are answered from memory.
 *
 * The endpoint handler asks it with its plan's key (runtime/plan/plan-cache-key.ts: every
 * validated parameter, the verified caller, the format and the data version), after the
 * parameters are validated and before a connection is borrowed; a version change empties
 * the cache at once. Only complete 200 bodies (Buffer, string or JSON object) up to
 * `maxEntryBytes` are kept; streams pass through. Every buffered 200 gets a strong ETag,
 * and `If-None-Match` is answered with 304 whether or not the entry was cached before.
 *
 * An entry may also be filed under an alias: the raw request line, for endpoints whose
 * answer the raw request alone decides (no header or body parameters, no policy), so the
 * below-Koa hit path (runtime/app/fast-cache-hit.ts) finds the very entry the handler
 * stored, without parsing anything.
 */
import { authOf, identityKey } from '../security/auth-context.js';
import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { rawAliasKey, type KeyParts } from './cache-key.js';
import { etagMatches, strongEtag } from './etag.js';
import { LruStore, type CachedResponse } from './lru-store.js';

export interface ResponseCacheOptions {
  /** Total bytes kept (`server.responseCacheBytes`); 0 disables storing, ETags still work. */
  maxBytes: number;
  /** Largest body kept (default: an eighth of `maxBytes`, at most 8 MiB). */
  maxEntryBytes?: number;
  /** Changes whenever the data changes (refresh, swap, write). */
  dataVersion: () => number;
  /** Hit/miss counters, e.g. the server's Metrics. */
  metrics?: { cacheHit(): void; cacheMiss(): void };
}

export interface ResponseCache {
  /**
   * Answers `ctx` from the entry under `key`, or runs `produce` and keeps what it answered.
   * `alias`, when given, also files the entry under the raw request (see above).
   */
  respond(ctx: Context, key: string, produce: () => Promise<void>, alias?: KeyParts): Promise<void>;
  /** The data version the cache holds entries for: part of every key. */
  version(): number;
  /**
   * The entry filed under a raw request's alias, without counting it: for a caller that
   * answers hits itself (it then calls `countHit`) and otherwise hands the request on.
   */
  lookup(parts: KeyParts): CachedResponse | undefined;
  countHit(): void;
  /** Drops every entry (dev reload, refresh, artifact swap). */
  invalidate(): void;
  stats(): { entries: number; bytes: number; hits: number; misses: number };
}

/** Response headers worth replaying from the cache; the rest are per request. */
const KEPT_HEADERS = ['content-type', 'content-disposition', 'x-total-count', 'x-offset', 'x-limit', 'x-next', 'x-max-rows', 'link', 'cache-control', 'vary', 'content-language'];

/** The verified caller as a short key part; `-` for anonymous callers. */
export function identityOf(ctx: Context): string {
  const key = identityKey(authOf(ctx.state));
  return key === '-' ? key : createHash('sha256').update(key).digest('base64url');
}

function bodyBuffer(ctx: Context): Buffer | undefined {
  const body: unknown = ctx.body;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  if (body === null || body === undefined || typeof body !== 'object') return undefined;
  if (typeof (body as { pipe?: unknown }).pipe === 'function') return undefined;
  // A JSON object body: serialise it now (as Koa would) so the bytes can be hashed and kept.
  const text = JSON.stringify(body);
  ctx.body = text;
  ctx.type = 'application/json';
  return Buffer.from(text);
}

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const store = new LruStore(options.maxBytes);
  const maxEntry = options.maxEntryBytes ?? Math.min(Math.floor(options.maxBytes / 8), 8 * 1024 * 1024);
  let version = options.dataVersion();
  let hits = 0;
  let misses = 0;

  const syncVersion = () => {
    const current = options.dataVersion();
    if (current !== version) {
      store.clear();
      version = current;
    }
  };

  const countHit = () => {
    hits++;
    options.metrics?.cacheHit();
  };

  const replay = (ctx: Context, entry: CachedResponse) => {
    if (entry.endpoint !== undefined) ctx.state['endpoint'] = entry.endpoint;
    for (const [name, value] of Object.entries(entry.headers)) ctx.set(name, value);
    ctx.set('ETag', entry.etag);
    ctx.set('X-Cache', 'HIT');
    if (etagMatches(ctx.get('If-None-Match'), entry.etag)) {
      ctx.status = 304;
      return;
    }
    ctx.status = entry.status;
    ctx.body = entry.body;
  };

  const fileAlias = (alias: KeyParts, entry: CachedResponse) => {
    const raw = rawAliasKey(alias);
    // Counted in full: the alias may outlive the entry it was filed with.
    if (store.get(raw) !== entry) store.set(raw, entry);
  };

  /** Misses being produced now, by key: identical requests arriving meanwhile wait for them (single flight). */
  const inFlight = new Map<string, Promise<void>>();

  const hit = (ctx: Context, key: string, alias: KeyParts | undefined): boolean => {
    const cached = store.get(key);
    if (cached === undefined) return false;
    if (alias !== undefined) fileAlias(alias, cached);
    countHit();
    replay(ctx, cached);
    return true;
  };

  async function respond(ctx: Context, key: string, produce: () => Promise<void>, alias?: KeyParts): Promise<void> {
    syncVersion();
    // HEAD shares GET's entry: same headers, Koa drops the body.
    if (hit(ctx, key, alias)) return;
    const running = options.maxBytes > 0 ? inFlight.get(key) : undefined;
    if (running !== undefined) {
      // The same query is running for another caller: its answer, once stored, is this one's too.
      await running.catch(() => undefined);
      if (hit(ctx, key, alias)) return;
    }
    misses++;
    options.metrics?.cacheMiss();
    if (options.maxBytes > 0 && running === undefined) {
      const done = produce();
      inFlight.set(key, done);
      try {
        await done;
      } finally {
        inFlight.delete(key);
      }
    } else {
      await produce();
    }
    ctx.set('X-Cache', 'MISS');
    if (ctx.status !== 200) return;
    const body = bodyBuffer(ctx);
    if (!body) return;
    const etag = strongEtag(body);
    ctx.set('ETag', etag);
    const storable =
      body.length <= maxEntry &&
      options.maxBytes > 0 &&
      options.dataVersion() === version &&
      !ctx.response.get('Set-Cookie') &&
      !/no-store|private/i.test(ctx.response.get('Cache-Control') ?? '');
    if (storable) {
      const headers: Record<string, string> = {};
      let size = body.length + key.length * 2 + 256;
      for (const name of KEPT_HEADERS) {
        const value = ctx.response.get(name);
        if (value) {
          headers[name] = String(value);
          size += name.length + String(value).length;
        }
      }
      const endpoint = ctx.state['endpoint'];
      const entry: CachedResponse = { status: 200, headers, body, etag, size, endpoint: typeof endpoint === 'string' ? endpoint : undefined };
      store.set(key, entry);
      if (alias !== undefined) fileAlias(alias, entry);
    }
    if (etagMatches(ctx.get('If-None-Match'), etag)) {
      ctx.status = 304;
      ctx.body = null;
    }
  }

  return {
    respond,
    version: () => {
      syncVersion();
      return version;
    },
    lookup: (parts) => {
      syncVersion();
      return store.get(rawAliasKey(parts));
    },
    countHit,
    invalidate: () => store.clear(),
    stats: () => ({ entries: store.count, bytes: store.bytes, hits, misses }),
  };
}
