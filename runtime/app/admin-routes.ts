/**
 * The reserved `/_flapi/` routes this module owns: liveness and readiness. Readiness
 * reports the data version and the artifact version served, so a load balancer or test
 * can see a swap happen, and stays 503 until every cache holds data.
 */
import type { Router } from '@koa/router';
import type { CacheRuntime } from '../cache/index.js';
import type { Database } from '../db/index.js';
import type { Manifest } from '../manifest.js';
import type { ArtifactVersion } from '../artifact/artifact-source.js';

function artifactFields(version: ArtifactVersion | undefined): Record<string, unknown> {
  if (version === undefined) return {};
  return {
    artifact: {
      source: version.source,
      version: version.version,
      etag: version.etag ?? null,
      built_at: version.builtAt ?? null,
      loaded_at: version.loadedAt,
      bytes: version.size,
    },
  };
}

export function registerAdminRoutes(router: Router, manifest: Manifest, database: Database, artifact?: ArtifactVersion, caches?: CacheRuntime): void {
  router.get('/_flapi/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/_flapi/ready', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    if (caches !== undefined && !caches.ready) {
      ctx.status = 503;
      ctx.body = { status: 'warming', caches_pending: caches.pending(), data_version: database.dataVersion };
      return;
    }
    ctx.body = {
      status: 'ready',
      data_version: database.dataVersion,
      endpoints: manifest.endpoints.filter((e) => e.urlPath !== undefined).length,
      pool: { size: database.pool.size, in_use: database.pool.inUse, waiting: database.pool.waiting },
      ...artifactFields(artifact),
    };
  });
}
