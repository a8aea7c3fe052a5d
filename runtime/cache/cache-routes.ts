/**
 * `GET /_flapi/cache` (status of every cache) and `POST /_flapi/cache/<endpoint>/refresh`
 * (runs a refresh and answers with its snapshot). Admin credentials for the POST are
 * checked by the security middleware in front of the router.
 */
import type { Router } from '@koa/router';
import type { CacheRuntime } from './cache-runtime.js';
import { snapshotJson } from './cache-status.js';
import { describeError, RefreshFailedError, RefreshInProgressError } from './refresh-cache.js';

export function registerCacheRoutes(router: Router, caches: CacheRuntime): void {
  router.get('/_flapi/cache', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await caches.report();
  });

  router.post('/_flapi/cache/:endpoint/refresh', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const endpoint = String(ctx.params['endpoint']);
    if (!caches.has(endpoint)) {
      ctx.status = 404;
      ctx.body = { error: `no cache for endpoint \`${endpoint}\`; GET /_flapi/cache lists the cached endpoints` };
      return;
    }
    const full = ['1', 'true', 'yes'].includes(String(ctx.query['full'] ?? '').toLowerCase());
    const wait = !['0', 'false', 'no'].includes(String(ctx.query['wait'] ?? '').toLowerCase());
    const refresh = caches.refresh(endpoint, { full });
    if (!wait) {
      refresh.catch(() => undefined);
      // A refresh that cannot start (one is running, read-only database) still says so.
      const early = await Promise.race([refresh.then(() => undefined, (e: unknown) => e), new Promise((r) => setImmediate(r, undefined))]);
      if (early instanceof RefreshInProgressError || (early !== undefined && !(early instanceof RefreshFailedError))) return refusal(ctx, early);
      ctx.status = 202;
      ctx.body = { endpoint, status: 'started' };
      return;
    }
    try {
      const snapshot = await refresh;
      ctx.body = { endpoint, status: 'succeeded', snapshot: snapshotJson(snapshot) };
    } catch (err) {
      if (err instanceof RefreshFailedError) {
        ctx.status = 502;
        ctx.body = { endpoint, status: 'failed', error: describeError(err), snapshot: err.snapshot ? snapshotJson(err.snapshot) : null };
        return;
      }
      refusal(ctx, err);
    }
  });
}

function refusal(ctx: { status: number; body: unknown }, err: unknown): void {
  ctx.status = err instanceof RefreshInProgressError ? 409 : 503;
  ctx.body = { error: describeError(err) };
}
