/**
 * Everything a refresh needs to know about one endpoint's cache, resolved once from the
 * manifest: where the table lives, which connection is its source, which mode applies.
 */
import type { CacheSpec, ConnectionSpec, EndpointSpec, Manifest } from '../manifest.js';
import { qualified, quoteIdent } from './sql-names.js';

export interface CacheTarget {
  /** The endpoint's name: how the cache is addressed (`/_flapi/cache/<endpoint>/refresh`). */
  endpoint: string;
  spec: CacheSpec;
  catalog: string;
  schema: string;
  table: string;
  /** `schema.table` as written, for records and status. */
  name: string;
  /** Fully quoted `"catalog"."schema"."table"`: the view endpoint templates read. */
  view: string;
  /** A connection with a driver type (e.g. postgres) whose database runs the cache template; undefined = DuckDB. */
  source: ConnectionSpec | undefined;
  /** Properties of the endpoint's first connection, visible to the cache template as `conn.*`. */
  conn: Record<string, string | number | boolean>;
}

/** Endpoints with an enabled cache that has a template to run. */
export function cachedEndpoints(manifest: Manifest): EndpointSpec[] {
  return manifest.endpoints.filter((e) => e.cache?.enabled === true && e.cache.table !== '' && e.cache.template !== undefined);
}

/** `defaultCatalog` is the database the server opened (`current_database()`), used unless the cache names one. */
export function cacheTarget(manifest: Manifest, endpoint: EndpointSpec, defaultCatalog: string): CacheTarget {
  const spec = endpoint.cache;
  if (spec === undefined) throw new Error(`endpoint ${endpoint.name} has no cache`);
  const catalog = spec.catalog ?? defaultCatalog;
  const connections = endpoint.connection.map((name) => manifest.connections[name]).filter((c): c is ConnectionSpec => c !== undefined);
  return {
    endpoint: endpoint.name,
    spec,
    catalog,
    schema: spec.schema,
    table: spec.table,
    name: `${spec.schema}.${spec.table}`,
    view: qualified(catalog, spec.schema, spec.table),
    source: connections.find((c) => c.type !== undefined && c.type !== '' && c.type !== 'duckdb'),
    conn: { ...connections[0]?.properties },
  };
}

/** The `cache.*` values every template of a cached endpoint sees: configuration only, never request data. */
export function staticCacheContext(spec: CacheSpec, catalog: string): Record<string, unknown> {
  return {
    // Templates write `{{cache.catalog}}.{{cache.schema}}.{{cache.table}}` unquoted: a name that is not a plain identifier comes quoted.
    catalog: sqlName(spec.catalog ?? catalog),
    schema: spec.schema,
    table: spec.table,
    mode: spec.mode,
    primaryKeys: [...spec.primaryKey],
    cursorColumn: spec.cursor?.column ?? '',
    cursorType: spec.cursor?.type ?? '',
    schedule: spec.schedule ?? '',
  };
}

function sqlName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : quoteIdent(name);
}
