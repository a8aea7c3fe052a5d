/**
 * What an endpoint's template renders with besides the request: `conn.*` from its first
 * connection, the whitelisted `env.*`, and `cache.*` when the endpoint is cached. HTTP
 * handlers, MCP tools and the artifact check all build it here, so a template renders the
 * same SQL wherever it runs.
 */
import type { Database } from '../db/index.js';
import type { EndpointSpec, Manifest } from '../manifest.js';
import { staticCacheContext } from '../cache/cache-target.js';
import type { HandlerContext } from './endpoint-handler.js';

export interface EndpointContextDeps {
  database: Database;
  env: Record<string, unknown>;
  /** The database's catalog, named by `cache.catalog` in cached endpoints' templates. */
  cacheCatalog: string;
}

export function endpointContext(manifest: Manifest, endpoint: EndpointSpec, deps: EndpointContextDeps): HandlerContext {
  const name = endpoint.connection[0];
  const conn = name === undefined ? {} : { ...manifest.connections[name]?.properties };
  return {
    database: deps.database,
    server: manifest.server,
    conn,
    env: deps.env,
    ...(endpoint.cache ? { cache: staticCacheContext(endpoint.cache, deps.cacheCatalog) } : {}),
  };
}
