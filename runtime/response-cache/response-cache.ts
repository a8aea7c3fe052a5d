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
 *
 * Identical concurrent misses run one query (single flight): the first caller runs it and
 * the others, arriving while it runs, get its answer, whether or not it is stored (storing
 * off, an endpoint with `response-cache.enabled: false`, a body over the entry bound, the
 * data version moved meanwhile).
 *
 * Each endpoint's policy (cache-control.ts) says whether its answers are stored, for how
 * long, and the `Cache-Control` its answers carry, computed whenever one is sent.
 */
import { authOf, identityKey } from '../security/auth-context.js';
import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { rawAliasKey, type KeyParts } from './cache-key.js';
import { etagMatches, strongEtag } from './etag.js';
import { LruStore, type CachedResponse } from './lru-store.js';
import type { CachePolicy } from './cache-control.js';

export interface ResponseCacheOptions {
  /** Total bytes kept (`server.responseCacheBytes`); 0 disables storing, ETags still work. */
  maxBytes: number;
  /** Largest body kept (default: an eighth of `maxBytes`, at most 8 MiB). */
  maxEntryBytes?: number;
  /** Changes whenever the data changes (refresh, swap, write). */
  dataVersion: () => number;
  /** Hit/miss counters, e.g. the server's Metrics. */
  metrics?: { cacheHit(): void; cacheMiss(): void };
  /** Read endpoints' policies by name; an endpoint without one is stored and gets no `Cache-Control`. */
  policies?: ReadonlyMap<string, CachePolicy>;
}

export interface ResponseCache {
  /**
   * Answers `ctx` from the entry under `key`, from the same miss running for another caller,
   * or runs `produce` and keeps what it answered. `alias`, when given, also files the entry
   * under the raw request (see above).
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
  /** `Cache-Control` of an entry replayed to an anonymous caller; undefined when its endpoint has no policy. */
  cacheControlOf(entry: CachedResponse): string | undefined;
  /** Drops every entry (dev reload, refresh, artifact swap). */
  invalidate(): void;
  stats(): { entries: number; bytes: number; hits: number; misses: number };
}

/**
 * Response headers worth replaying from the cache; the rest are per request. `Cache-Control`
 * is not among them: its `max-age` is computed when an answer is sent.
 */
const KEPT_HEADERS = ['content-type', 'content-disposition', 'x-total-count', 'x-offset', 'x-limit', 'x-next', 'x-max-rows', 'link', 'vary', 'content-language'];

/** What the callers waiting on a running miss get once it is done. */
type Outcome =
  /** The complete buffered 200 answer: theirs too, stored or not. */
  | { kind: 'answer'; answer: CachedResponse }
  /**
   * The query failed. Identical inputs on the same data fail the same way (a refused value,
   * a missing file, a query error, the timeout, a full pool), so they fail with it, each
   * answered under its own request id.
   */
  | { kind: 'failed'; error: unknown }
  /** The producer's client went away and interrupted the query: that says nothing of theirs, so one of them runs it again. */
  | { kind: 'again' }
  /**
   * Nothing to share: a streamed body can be read once, by the producer's client, and
   * buffering it for others would hold in memory what streaming exists to avoid; an answer
   * other than 200 is not kept either. Each waiter runs its own query, all at once.
   */
  | { kind: 'own' };

const OWN: Outcome = { kind: 'own' };
const AGAIN: Outcome = { kind: 'again' };

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

function setCacheControl(ctx: Context, policy: CachePolicy | undefined, expires: number | undefined): void {
  if (policy !== undefined) ctx.set('Cache-Control', policy.cacheControl(authOf(ctx.state).authenticated, expires));
}

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const store = new LruStore(options.maxBytes);
  const maxEntry = options.maxEntryBytes ?? Math.min(Math.floor(options.maxBytes / 8), 8 * 1024 * 1024);
  const policies = options.policies;
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

  /** `how`: HIT from the store, SHARED from a miss that ran for another caller meanwhile. */
  const replay = (ctx: Context, entry: CachedResponse, how: 'HIT' | 'SHARED') => {
    if (entry.endpoint !== undefined) ctx.state['endpoint'] = entry.endpoint;
    for (const [name, value] of Object.entries(entry.headers)) ctx.set(name, value);
    ctx.set('ETag', entry.etag);
    ctx.set('X-Cache', how);
    setCacheControl(ctx, entry.policy, entry.expires);
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
  const flights = new Map<string, Promise<Outcome>>();

  const hit = (ctx: Context, key: string, alias: KeyParts | undefined): boolean => {
    const cached = store.get(key);
    if (cached === undefined) return false;
    if (alias !== undefined) fileAlias(alias, cached);
    countHit();
    replay(ctx, cached, 'HIT');
    return true;
  };

  /** After `produce`: ETag, `Cache-Control`, the stored entry; returns the answer when waiters may share it. */
  const keep = (ctx: Context, key: string, alias: KeyParts | undefined, policy: CachePolicy | undefined): CachedResponse | undefined => {
    ctx.set('X-Cache', 'MISS');
    if (ctx.status !== 200) return undefined;
    // Before the headers are kept: replayed with the entry.
    if (policy !== undefined) for (const name of policy.vary) ctx.vary(name);
    const body = bodyBuffer(ctx);
    if (!body) {
      setCacheControl(ctx, policy, undefined);
      return undefined;
    }
    const etag = strongEtag(body);
    ctx.set('ETag', etag);
    const headers: Record<string, string> = {};
    let size = body.length + key.length * 2 + 256;
    for (const name of KEPT_HEADERS) {
      // An empty value is kept too (`X-Next` on the last page).
      const value = ctx.res.getHeader(name);
      if (value !== undefined) {
        const text = Array.isArray(value) ? value.join(', ') : String(value);
        headers[name] = text;
        size += name.length + text.length;
      }
    }
    const endpoint = ctx.state['endpoint'];
    const answer: CachedResponse = { status: 200, headers, body, etag, size, endpoint: typeof endpoint === 'string' ? endpoint : undefined, policy };
    const perCaller = Boolean(ctx.response.get('Set-Cookie'));
    const storable =
      policy?.store !== false &&
      body.length <= maxEntry &&
      options.maxBytes > 0 &&
      options.dataVersion() === version &&
      !perCaller &&
      !/no-store|private/i.test(ctx.response.get('Cache-Control') ?? '');
    if (storable) {
      if (policy?.ttlMs !== undefined) answer.expires = Date.now() + policy.ttlMs;
      store.set(key, answer);
      if (alias !== undefined) fileAlias(alias, answer);
    }
    // Fresh: the whole TTL is left.
    setCacheControl(ctx, policy, undefined);
    if (etagMatches(ctx.get('If-None-Match'), etag)) {
      ctx.status = 304;
      ctx.body = null;
    }
    return perCaller ? undefined : answer;
  };

  /** Runs the query for this caller; as the flight's leader, hands the outcome to those waiting on it. */
  async function produceAndKeep(ctx: Context, key: string, produce: () => Promise<void>, alias: KeyParts | undefined, leads: boolean): Promise<void> {
    misses++;
    options.metrics?.cacheMiss();
    const endpoint = ctx.state['endpoint'];
    const policy = typeof endpoint === 'string' ? policies?.get(endpoint) : undefined;
    if (!leads) {
      await produce();
      keep(ctx, key, alias, policy);
      return;
    }
    let settle!: (outcome: Outcome) => void;
    flights.set(key, new Promise<Outcome>((resolve) => (settle = resolve)));
    let outcome = OWN;
    try {
      await produce();
      const answer = keep(ctx, key, alias, policy);
      if (answer !== undefined) outcome = { kind: 'answer', answer };
    } catch (error) {
      outcome = ctx.res.destroyed && !ctx.res.writableFinished ? AGAIN : { kind: 'failed', error };
      throw error;
    } finally {
      flights.delete(key);
      settle(outcome);
    }
  }

  async function respond(ctx: Context, key: string, produce: () => Promise<void>, alias?: KeyParts): Promise<void> {
    syncVersion();
    // HEAD shares GET's entry and flights: same headers, Koa drops the body.
    if (hit(ctx, key, alias)) return;
    for (let flight = flights.get(key); flight !== undefined; flight = flights.get(key)) {
      const outcome = await flight;
      if (outcome.kind === 'answer') {
        countHit();
        replay(ctx, outcome.answer, 'SHARED');
        return;
      }
      if (outcome.kind === 'failed') throw outcome.error;
      if (outcome.kind === 'own') return produceAndKeep(ctx, key, produce, alias, false);
      // Again: the first waiter to wake leads a new flight, the others join it.
    }
    return produceAndKeep(ctx, key, produce, alias, true);
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
    cacheControlOf: (entry) => entry.policy?.cacheControl(false, entry.expires),
    invalidate: () => store.clear(),
    stats: () => ({ entries: store.count, bytes: store.bytes, hits, misses }),
  };
}
