/**
 * Creates the app for a manifest and serves it: what a built server's entry point and
 * `flapi dev` both call. When `duckdb.db_path` is a read-only artifact, its first version
 * is loaded before the port opens (a bad one fails the start with the reason), and the
 * artifact is then polled and hot-swapped for as long as the server runs.
 */
import { ArtifactWatch, openServedArtifact, type ServedArtifact } from '../artifact/index.js';
import type { Manifest } from '../manifest.js';
import { createApp, type CreateAppOptions } from './create-app.js';
import { serveApp, type HttpServerHandle } from './http-server.js';
import { createJsonLogger } from './logger.js';
import { readFileSync } from 'node:fs';
import { httpLimits } from '../security/http-limits.js';

export interface StartServerOptions extends CreateAppOptions {
  /** Default `manifest.server.port`; 0 picks a free port. */
  port?: number;
  /** Default `manifest.server.host`. */
  host?: string;
}

export interface StartedServer extends HttpServerHandle {
  /** Present when serving an artifact: its current version, and a way to look for a new one now. */
  readonly artifact?: ArtifactWatch;
}

export async function startServer(manifest: Manifest, options: StartServerOptions = {}): Promise<StartedServer> {
  const logger = options.logger ?? createJsonLogger();
  let served: ServedArtifact | undefined;
  if (options.database === undefined && options.artifact === undefined) {
    served = await openServedArtifact(manifest, { env: options.env, poolSize: options.poolSize });
  }
  let handle: HttpServerHandle;
  try {
    const app = await createApp(manifest, { ...options, logger, ...(served ? { artifact: served.loaded } : {}) });
    try {
      handle = await serveApp(app, {
        port: options.port ?? manifest.server.port,
        host: options.host ?? manifest.server.host,
        limits: httpLimits(manifest.server),
        ...(manifest.server.tls ? { tls: { cert: readFileSync(manifest.server.tls.certFile), key: readFileSync(manifest.server.tls.keyFile) } } : {}),
      });
    } catch (err) {
      await app.close();
      throw err;
    }
  } catch (err) {
    await served?.loaded.dispose();
    await served?.source.close();
    throw err;
  }
  if (served === undefined) return handle;

  const { source, loaded } = served;
  const server = handle;
  const watch = new ArtifactWatch({
    source,
    serving: loaded.version,
    logger,
    intervalMs: source.settings.pollIntervalMs,
    // A new version is checked against, and served with, the manifest being served now.
    manifest: () => server.current.manifest,
    createApp: (next) => createApp(server.current.manifest, { ...options, logger, artifact: next }),
    swap: (app) => server.swap(app),
  });
  watch.start();
  logger.info(`serving artifact ${source.description} version ${loaded.version.version}`, {
    artifact: source.description, version: loaded.version.version, etag: loaded.version.etag, poll_interval_ms: source.settings.pollIntervalMs,
  });
  const closeServer = handle.close.bind(handle);
  return Object.assign(handle, {
    artifact: watch,
    close: async () => {
      await watch.stop();
      await closeServer();
      await source.close();
    },
  });
}
