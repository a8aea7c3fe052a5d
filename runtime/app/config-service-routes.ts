/**
 * The part of flAPI's config service (`/api/v1/_config/...`) that its clients and test
 * suites use to inspect and drive caches, answered by this server's cache layer. Every
 * route needs the admin credential, read or write: cache and parameter configuration
 * are not for anonymous callers. flAPI's `X-Config-Token` header is accepted as well as
 * `Authorization: Bearer`.
 */
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { CacheRuntime, SnapshotRecord } from '../cache/index.js';
import { describeError, RefreshFailedError, RefreshInProgressError } from '../cache/index.js';
import type { EndpointSpec, Manifest } from '../manifest.js';
import { createAdminGuard } from '../security/admin-auth.js';
import type { Environment } from '../security/secret-value.js';
import { cacheConfigJson, endpointBySlug, parametersJson } from './config-service-json.js';

const PREFIX = '/api/v1/_config';

export function registerConfigServiceRoutes(router: Router, manifest: Manifest, caches: CacheRuntime, env: Environment): void {
  const guard = createAdminGuard(manifest.admin, env);
  const admitted = (ctx: Context): boolean => {
    ctx.set('Cache-Control', 'no-store');
    const token = ctx.get('X-Config-Token');
    const headers = token !== '' && ctx.get('Authorization') === '' ? { ...ctx.headers, authorization: `Bearer ${token}` } : ctx.headers;
    const verdict = guard.check(headers, ctx.req.socket.remoteAddress);
    if (verdict === 'ok') return true;
    ctx.status = verdict === 'loopback-only' ? 403 : 401;
    ctx.body = { error: verdict === 'loopback-only'
      ? 'the config service answers only local clients unless admin.token is set in flapi.yaml'
      : 'the config service needs the admin token (Authorization: Bearer or X-Config-Token)' };
    return false;
  };
  /** The endpoint a slug names, or a 404 answered. */
  const endpointOf = (ctx: Context): EndpointSpec | undefined => {
    const endpoint = endpointBySlug(manifest.endpoints, String(ctx.params['slug']));
    if (endpoint === undefined) {
      ctx.status = 404;
      ctx.body = { error: `no endpoint for \`${String(ctx.params['slug'])}\` (a url-path with / written as -, a trailing / as -slash, or an MCP name)` };
    }
    return endpoint;
  };
  const cachedOf = (ctx: Context): EndpointSpec | undefined => {
    const endpoint = endpointOf(ctx);
    if (endpoint === undefined) return undefined;
    if (!caches.has(endpoint.name)) {
      ctx.status = 400;
      ctx.body = { error: `endpoint \`${endpoint.name}\` has no enabled cache` };
      return undefined;
    }
    return endpoint;
  };

  router.get(`${PREFIX}/endpoints/:slug/parameters`, (ctx) => {
    if (!admitted(ctx)) return;
    const endpoint = endpointOf(ctx);
    if (endpoint !== undefined) ctx.body = parametersJson(endpoint);
  });
  router.get(`${PREFIX}/endpoints/:slug/cache`, (ctx) => {
    if (!admitted(ctx)) return;
    const endpoint = endpointOf(ctx);
    if (endpoint !== undefined) ctx.body = cacheConfigJson(endpoint);
  });
  router.post(`${PREFIX}/endpoints/:slug/cache/refresh`, async (ctx) => {
    if (!admitted(ctx)) return;
    const endpoint = cachedOf(ctx);
    if (endpoint === undefined) return;
    try {
      const snapshot = await refreshAfterRunning(caches, endpoint.name);
      ctx.body = { endpoint: endpoint.name, status: 'succeeded', ...auditJson(snapshot) };
    } catch (err) {
      ctx.status = err instanceof RefreshFailedError ? 400 : err instanceof RefreshInProgressError ? 409 : 503;
      ctx.body = { endpoint: endpoint.name, status: 'failed', error: describeError(err) };
    }
  });
  router.post(`${PREFIX}/endpoints/:slug/cache/gc`, async (ctx) => {
    if (!admitted(ctx)) return;
    const endpoint = cachedOf(ctx);
    if (endpoint === undefined) return;
    try {
      const result = await caches.collectGarbage(endpoint.name);
      ctx.body = { message: 'Garbage collection completed', dropped_tables: result.droppedTables, removed_records: result.removedRecords };
    } catch (err) {
      ctx.status = 400;
      ctx.body = { error: `garbage collection failed: ${describeError(err)}` };
    }
  });
  router.get(`${PREFIX}/endpoints/:slug/cache/audit`, async (ctx) => {
    if (!admitted(ctx)) return;
    const endpoint = cachedOf(ctx);
    if (endpoint !== undefined) ctx.body = (await caches.audit(endpoint.name, 100)).map(auditJson);
  });
  router.get(`${PREFIX}/cache/audit`, async (ctx) => {
    if (!admitted(ctx)) return;
    ctx.body = (await caches.audit(undefined, 500)).map(auditJson);
  });
}

/**
 * flAPI's refresh runs when asked and answers when done: a refresh already running (the
 * warm-up, a schedule) is waited for, then this one runs, so the answer reflects the source now.
 */
async function refreshAfterRunning(caches: CacheRuntime, endpoint: string): Promise<SnapshotRecord> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await caches.refresh(endpoint);
    } catch (err) {
      if (!(err instanceof RefreshInProgressError) || attempt >= 3) throw err;
      await caches.settled(endpoint);
    }
  }
}

/** A snapshot record under the field names of flAPI's `audit.sync_events`. */
function auditJson(record: SnapshotRecord): Record<string, unknown> {
  const finished = record.finishedAt;
  return {
    event_id: record.id,
    endpoint_path: record.endpoint,
    cache_table: record.cacheTable.slice(record.cacheTable.indexOf('.') + 1),
    cache_schema: record.cacheTable.slice(0, record.cacheTable.indexOf('.')),
    sync_type: record.mode,
    status: record.status === 'succeeded' ? 'success' : record.status === 'running' ? 'running' : 'error',
    message: record.error ?? (record.status === 'succeeded' ? 'Cache refreshed successfully' : ''),
    snapshot_id: record.id,
    rows_affected: record.rowsWritten ?? null,
    sync_started_at: record.startedAt.toISOString(),
    sync_completed_at: finished?.toISOString() ?? null,
    duration_ms: finished === undefined ? null : finished.getTime() - record.startedAt.getTime(),
  };
}
