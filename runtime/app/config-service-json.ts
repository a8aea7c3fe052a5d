/**
 * How flAPI's config service names endpoints (slugs) and the JSON it answers with for an
 * endpoint's parameters and cache configuration.
 */
import type { EndpointSpec } from '../manifest.js';

/**
 * flAPI's slug of a url-path: `/test/cached/` → `test-cached-slash`, `/customers/:id` →
 * `customers-id` (the leading slash dropped, other slashes and odd characters as `-`,
 * a trailing slash as `-slash`).
 */
export function pathSlug(path: string): string {
  const trailing = path.length > 1 && path.endsWith('/');
  const slug = path.replace(/^\//, '').replace(/\/$/, '').replace(/[^A-Za-z0-9_-]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  if (slug === '') return 'empty';
  return trailing ? `${slug}-slash` : slug;
}

/** The endpoint a slug names: by url-path, else by name (MCP tools and resources have no path). */
export function endpointBySlug(endpoints: readonly EndpointSpec[], slug: string): EndpointSpec | undefined {
  return endpoints.find((e) => e.urlPath !== undefined && pathSlug(e.urlPath) === slug)
    ?? endpoints.find((e) => e.urlPath === undefined && e.name === slug);
}

export function parametersJson(endpoint: EndpointSpec): Record<string, unknown> {
  return {
    endpoint: endpoint.urlPath ?? endpoint.name,
    method: endpoint.method,
    parameters: endpoint.params.map((p) => ({
      name: p.name,
      in: p.in,
      description: p.description ?? '',
      required: p.required,
      ...(p.default !== undefined ? { default: String(p.default) } : {}),
      ...(p.validators.length > 0 ? { validators: p.validators } : {}),
    })),
  };
}

/** An endpoint's cache block under flAPI's key names; `enabled: false` when it has none. */
export function cacheConfigJson(endpoint: EndpointSpec): Record<string, unknown> {
  const cache = endpoint.cache;
  if (cache === undefined) return { enabled: false, table: '', schema: '' };
  const retention = cache.retention;
  return {
    enabled: cache.enabled,
    table: cache.table,
    schema: cache.schema,
    ...(cache.catalog !== undefined ? { catalog: cache.catalog } : {}),
    ...(cache.schedule !== undefined ? { schedule: cache.schedule } : {}),
    ...(cache.primaryKey.length > 0 ? { 'primary-key': cache.primaryKey } : {}),
    ...(cache.cursor !== undefined ? { cursor: cache.cursor } : {}),
    ...(retention !== undefined ? {
      retention: {
        ...(retention.keepLastSnapshots !== undefined ? { 'keep-last-snapshots': retention.keepLastSnapshots } : {}),
        ...(retention.maxSnapshotAge !== undefined ? { 'max-snapshot-age': retention.maxSnapshotAge } : {}),
      },
    } : {}),
    ...(cache.template !== undefined ? { 'template-file': cache.template.file } : {}),
    mode: cache.mode,
  };
}
