/**
 * Builds the Koa app for a manifest: opens (or adopts) the database, compiles every
 * endpoint's parameters and template, and registers routes. All the work a request
 * could share is done here, once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import { Router } from '@koa/router';
import { DEFAULT_POOL_WAIT_MS, openDatabase, whitelistedEnv, type Database } from '../db/index.js';
import type { Manifest } from '../manifest.js';
import { accessLog } from './access-log.js';
import { createStreamSlots } from './stream-slots.js';
import { jsonContentType } from './json-content-type.js';
import { queryLogSettings } from './query-log.js';
import { registerAdminRoutes } from './admin-routes.js';
import { registerConfigServiceRoutes } from './config-service-routes.js';
import { createEndpointHandler } from './endpoint-handler.js';
import { compileEndpointPlans } from './compile-plans.js';
import { errorMiddleware } from './error-middleware.js';
import { createFastCacheHit, openEndpointNames } from './fast-cache-hit.js';
import { createJsonLogger, type Logger } from './logger.js';
import { mcpMiddleware } from '../mcp/index.js';
import { Metrics, metricsRoute, requestMetrics } from '../metrics/index.js';
import { cachePolicies, createResponseCache, type ResponseCache } from '../response-cache/index.js';
import { requestIdMiddleware } from './request-id.js';
import { openApiRoutes } from './openapi-routes.js';
import { openServedArtifact, resolveArtifactSettings, type ArtifactVersion, type LoadedArtifact, type ServedArtifact } from '../artifact/index.js';
import { registerCacheRoutes, startCacheRuntime, type CacheRefreshMode, type CacheRuntime, type RetryPolicy } from '../cache/index.js';
import { createSecurity, securityHeaders } from '../security/index.js';
import { httpLimits } from '../security/http-limits.js';
import { canonicalPathMiddleware, ROUTER_OPTIONS, routePath } from '../security/canonical-path.js';

export interface CreateAppOptions {
  /** Use this database instead of opening one; it is then not closed by `close()`. */
  database?: Database;
  /** Serve this artifact version; the app owns it and disposes of it on `close()`. */
  artifact?: LoadedArtifact;
  logger?: Logger;
  /** Pool size when the app opens the database itself. */
  poolSize?: number;
  /** Environment to read whitelisted `env.*` values and `{{env.X}}` secrets from (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** How caches refresh: `scheduled` (default: warm-up, then schedules), `manual`, or `off`. */
  cacheRefresh?: CacheRefreshMode;
  /** Backoff after a failed cache refresh. */
  cacheRetry?: RetryPolicy;
}

export interface FlapiApp {
  app: Koa;
  router: Router;
  database: Database;
  manifest: Manifest;
  logger: Logger;
  metrics: Metrics;
  responseCache: ResponseCache;
  /** The artifact version served, when the database is a read-only artifact. */
  artifact?: ArtifactVersion;
  /**
   * The Node request handler to serve: response-cache hits of open endpoints are
   * answered before Koa (runtime/app/fast-cache-hit.ts), everything else by `app`.
   */
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  caches: CacheRuntime;
  /** Stops cache refreshes; closes the database if this app opened it. */
  close(): Promise<void>;
}

export async function createApp(manifest: Manifest, options: CreateAppOptions = {}): Promise<FlapiApp> {
  const logger = options.logger ?? createJsonLogger();
  const ownsDatabase = options.database === undefined;
  // Without a database or version handed in, an artifact db_path is loaded once here (no polling: startServer polls).
  let served: ServedArtifact | undefined;
  if (ownsDatabase && options.artifact === undefined) {
    served = await openServedArtifact(manifest, { env: options.env, poolSize: options.poolSize });
  }
  const artifact = options.artifact ?? served?.loaded;
  const database = options.database ?? artifact?.database ?? (await openDatabase(manifest, { poolSize: options.poolSize, env: options.env }));
  const release = async (): Promise<void> => {
    if (!ownsDatabase) return;
    if (artifact === undefined) return database.close();
    await artifact.dispose();
    await served?.source.close();
  };
  let caches: CacheRuntime | undefined;
  const closers: (() => Promise<void>)[] = [];
  try {
    const env = whitelistedEnv(manifest.environmentWhitelist, options.env);
    // First: a missing secret stops the app before caches warm up or anything is served.
    const security = createSecurity(manifest, { env: options.env ?? process.env, logger });
    closers.push(() => security.close());
    caches = await startCacheRuntime(manifest, database, {
      logger,
      // An artifact is read-only: its caches were baked and serve as they are.
      refresh: artifact !== undefined ? 'off' : options.cacheRefresh ?? 'scheduled',
      ...(options.env ? { env: options.env } : {}),
      ...(options.cacheRetry ? { retry: options.cacheRetry } : {}),
    });
    const pool = database.pool;
    const metrics = new Metrics({ pool: () => ({ size: pool.size, inUse: pool.inUse, waiting: pool.waiting }) });
    // Every endpoint compiled once; HTTP routes and MCP tools run the same plans.
    const executors = compileEndpointPlans(manifest, database, env, caches.catalog);
    const cacheRuntime = caches;
    const policies = cachePolicies(manifest, (name) => executors.get(name)?.plan.readsAuth === true, {
      ...(artifact !== undefined ? { artifactPollMs: resolveArtifactSettings(manifest, options.env ?? process.env).pollIntervalMs } : {}),
      nextRefresh: (endpoint) => cacheRuntime.nextChange(endpoint),
    });
    const responseCache = createResponseCache({
      maxBytes: manifest.server.responseCacheBytes,
      dataVersion: () => database.dataVersion,
      metrics,
      policies,
    });
    const openEndpoints = openEndpointNames(manifest);
    const streamIdleMs = httpLimits(manifest.server).streamIdleMs;
    const streamSlots = createStreamSlots(pool.size, manifest.server.poolWaitMs ?? DEFAULT_POOL_WAIT_MS);
    const router = new Router(ROUTER_OPTIONS);
    registerAdminRoutes(router, manifest, database, artifact?.version, caches);
    registerCacheRoutes(router, caches);
    registerConfigServiceRoutes(router, manifest, caches, options.env ?? process.env);
    for (const endpoint of manifest.endpoints) {
      if (endpoint.urlPath === undefined) continue;
      const handler = createEndpointHandler(executors.get(endpoint.name)!, {
        responseCache,
        logger,
        queryLog: queryLogSettings(manifest, endpoint),
        rawAlias: openEndpoints.has(endpoint.name),
        streamIdleMs,
        streamSlots,
      });
      router.register(routePath(endpoint.urlPath), [endpoint.method], handler, { name: endpoint.name });
    }

    const app = new Koa();
    // Errors are logged by the error middleware with the request id; Koa's own printing would double them.
    app.silent = true;
    // Client addresses (rate limits) and the scheme (enforce-https) come from X-Forwarded-* only behind a trusted proxy.
    app.proxy = manifest.server.trustProxy === true;
    app.maxIpsCount = 1;
    // Order matters: ids and timing wrap everything; security runs before anything that answers
    // (metrics, docs, MCP, the routes, whose handlers ask the response cache).
    // The path is made canonical before anything reads it, so guards and router agree.
    app.use(canonicalPathMiddleware);
    app.use(requestIdMiddleware);
    app.use(accessLog(logger));
    app.use(requestMetrics(metrics));
    app.use(jsonContentType);
    app.use(errorMiddleware(logger));
    app.use(securityHeaders({ hsts: manifest.server.enforceHttps || manifest.server.tls !== undefined }));
    app.use(security.middleware);
    app.use(metricsRoute(metrics));
    app.use(openApiRoutes(manifest));
    app.use(mcpMiddleware(manifest, { executors, logger }));
    app.use(router.routes());
    // A method no route implements (TRACE, PROPFIND) is the client's mistake, not a server
    // failure: 405 where the path exists, else 404, never the router's 501.
    app.use(async (ctx, next) => {
      await next();
      if (ctx.status !== 501 || ctx.body != null) return;
      if (ctx.response.get('Allow')) ctx.status = 405;
      else {
        ctx.remove('Allow');
        ctx.status = 404;
      }
    });
    app.use(router.allowedMethods());

    const callback = () => {
      const koa = app.callback();
      if (openEndpoints.size === 0 || manifest.server.responseCacheBytes <= 0) return koa;
      const fromCache = createFastCacheHit({ cache: responseCache, metrics, openEndpoints, logger });
      return (req: IncomingMessage, res: ServerResponse) => {
        if (!fromCache(req, res)) void koa(req, res);
      };
    };

    const started = caches;
    return {
      app,
      router,
      database,
      manifest,
      logger,
      metrics,
      responseCache,
      ...(artifact !== undefined ? { artifact: artifact.version } : {}),
      caches: started,
      callback,
      close: async () => {
        await started.close();
        for (const close of closers) await close();
        await release();
      },
    };
  } catch (err) {
    await caches?.close();
    for (const close of closers) await close().catch(() => {});
    await release();
    throw err;
  }
}
