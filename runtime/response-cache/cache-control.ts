/**
 * What each read endpoint tells caches downstream (a CDN, a browser) with `Cache-Control`,
 * and how the response cache keeps its answers (`response-cache:` of the endpoint).
 *
 * The data between refreshes is immutable, so an answer stays true until the data can next
 * change, and that moment is known when:
 * - the project serves a read-only artifact: a new version is looked for once per poll
 *   interval, so `max-age` is that interval;
 * - the endpoint reads only scheduled caches, in a project without write endpoints: a cache
 *   changes at its next refresh, so `max-age` is the time left until the earliest next
 *   refresh of the caches it reads (its own, and any other cache whose table its template
 *   names).
 * Anything else has no known end (a write may land at any moment, a cache without a schedule
 * is refreshed when someone asks) and gets `no-cache`: downstream caches revalidate with the
 * ETag each time, and a CDN does not apply a default lifetime of its own. The endpoint's TTL
 * caps `max-age`. An answer for a verified caller, or of an endpoint whose template reads
 * `auth.*`, is never public. The value is computed when an answer is sent, never stored with
 * it, so a replayed entry's `max-age` is as current as a fresh one's.
 */
import type { EndpointSpec, Manifest } from '../manifest.js';
import { cachedEndpoints } from '../cache/cache-target.js';

/** Where the data's next change is learnt from; read at every answer. */
export interface DataLifetime {
  /** Serving a read-only artifact polled this often (ms); 0: never polled. Undefined: no artifact. */
  artifactPollMs?: number;
  /**
   * When the cache of `endpoint` may next change (epoch ms): its next scheduled refresh, now
   * while one runs; undefined when no refresh is scheduled.
   */
  nextRefresh(endpoint: string): number | undefined;
}

export interface CachePolicy {
  /** `response-cache.enabled`: answers may be stored. */
  readonly store: boolean;
  /** `response-cache.ttl` in ms. */
  readonly ttlMs: number | undefined;
  /** Request headers the answer depends on besides the URL, for `Vary`. */
  readonly vary: readonly string[];
  /**
   * `Cache-Control` of a 200 or 304 answer. `expires` (epoch ms) is a stored entry's end,
   * which caps `max-age` when the entry is replayed.
   */
  cacheControl(authenticated: boolean, expires?: number): string;
}

/** For answers that are the caller's own: kept out of shared caches (as the security middleware marks every authenticated answer). */
export const PRIVATE_CONTROL = 'private';
export const NO_CACHE = 'no-cache';

/** True when `sql` names `table` as a whole word (quoted or not, any case): a read of that cache. */
export function namesTable(sql: string, table: string): boolean {
  const text = sql.replace(/"/g, '').toLowerCase();
  const name = table.toLowerCase();
  if (name === '') return false;
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    if (!/\w/.test(text[at - 1] ?? '') && !/\w/.test(text[at + name.length] ?? '')) return true;
  }
  return false;
}

type Bound =
  | { kind: 'fixed'; ms: number }
  | { kind: 'caches'; endpoints: readonly string[] }
  | { kind: 'none' };

function boundOf(endpoint: EndpointSpec, manifest: Manifest, lifetime: DataLifetime): Bound {
  if (lifetime.artifactPollMs !== undefined) return lifetime.artifactPollMs > 0 ? { kind: 'fixed', ms: lifetime.artifactPollMs } : { kind: 'none' };
  if (manifest.endpoints.some((e) => e.operation.type === 'write')) return { kind: 'none' };
  const read = cachedEndpoints(manifest)
    .filter((e) => e === endpoint || namesTable(endpoint.template.sql, e.cache!.table))
    .map((e) => e.name);
  return read.length > 0 ? { kind: 'caches', endpoints: read } : { kind: 'none' };
}

/** Milliseconds until the soonest next refresh of `endpoints`' caches; undefined when one has none scheduled. */
function untilRefresh(endpoints: readonly string[], lifetime: DataLifetime, now: number): number | undefined {
  let soonest = Infinity;
  for (const endpoint of endpoints) {
    const next = lifetime.nextRefresh(endpoint);
    if (next === undefined) return undefined;
    if (next < soonest) soonest = next;
  }
  return soonest - now;
}

function publicText(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return seconds > 0 ? `public, max-age=${seconds}` : NO_CACHE;
}

/** `publicText`, built once per value: it is sent with every hit. */
function publicControl(): (ms: number) => string {
  let last = 0;
  let text = NO_CACHE;
  return (ms) => {
    const seconds = Math.floor(ms / 1000);
    if (seconds !== last) {
      last = seconds;
      text = publicText(ms);
    }
    return text;
  };
}

export function cachePolicy(endpoint: EndpointSpec, readsAuth: boolean, manifest: Manifest, lifetime: DataLifetime): CachePolicy {
  const settings = endpoint.responseCache;
  const ttlMs = settings?.ttlMs !== undefined && settings.ttlMs > 0 ? settings.ttlMs : undefined;
  const override = settings?.cacheControl;
  // A written value that keeps the answer out of shared caches may serve per-caller answers too.
  const privateControl = override !== undefined && /\b(private|no-store)\b/i.test(override) ? override : PRIVATE_CONTROL;
  const bound = boundOf(endpoint, manifest, lifetime);
  const control = publicControl();
  const fixed = bound.kind === 'fixed' ? publicText(Math.min(bound.ms, ttlMs ?? Infinity)) : NO_CACHE;
  const vary = ['Accept', ...endpoint.params.filter((p) => p.in === 'header').map((p) => p.name)];
  return {
    store: settings?.enabled !== false,
    ttlMs,
    vary,
    cacheControl(authenticated, expires) {
      if (authenticated || readsAuth) return privateControl;
      if (override !== undefined) return override;
      if (bound.kind === 'none') return NO_CACHE;
      if (bound.kind === 'fixed' && expires === undefined) return fixed;
      const now = Date.now();
      const ms = bound.kind === 'fixed' ? bound.ms : untilRefresh(bound.endpoints, lifetime, now);
      if (ms === undefined) return NO_CACHE;
      return control(Math.min(ms, expires !== undefined ? expires - now : ttlMs ?? Infinity));
    },
  };
}

/** Every read endpoint's policy, by endpoint name. */
export function cachePolicies(manifest: Manifest, readsAuth: (endpoint: string) => boolean, lifetime: DataLifetime): Map<string, CachePolicy> {
  const policies = new Map<string, CachePolicy>();
  for (const endpoint of manifest.endpoints) {
    if (endpoint.operation.type === 'read') policies.set(endpoint.name, cachePolicy(endpoint, readsAuth(endpoint.name), manifest, lifetime));
  }
  return policies;
}
