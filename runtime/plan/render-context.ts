/**
 * What an endpoint's template renders with besides the request: `conn.*` from its first
 * connection, the whitelisted `env.*`, and `cache.*` when the endpoint is cached. Every
 * surface (HTTP, MCP, the artifact check) gets it from here, so a template renders the same
 * SQL wherever it runs.
 */
import type { EndpointSpec, Manifest } from '../manifest.js';
import { staticCacheContext } from '../cache/cache-target.js';

export interface RenderContext {
  /** Properties of the endpoint's first connection, visible as `conn.*`. */
  conn: Record<string, unknown>;
  /** Whitelisted environment, visible as `env.*`. */
  env: Record<string, unknown>;
  /** The endpoint's cache location, visible as `cache.*` (config values, never request data). */
  cache?: Record<string, unknown>;
}

/** `cacheCatalog` is the database's catalog, named by `cache.catalog` in cached endpoints' templates. */
export function renderContext(manifest: Manifest, endpoint: EndpointSpec, env: Record<string, unknown>, cacheCatalog: string): RenderContext {
  const name = endpoint.connection[0];
  const conn = name === undefined ? {} : { ...manifest.connections[name]?.properties };
  return { conn, env, ...(endpoint.cache ? { cache: staticCacheContext(endpoint.cache, cacheCatalog) } : {}) };
}
