/**
 * Creates the app for a manifest and serves it: what a built server's entry point and
 * `flapi dev` both call.
 */
import type { Manifest } from '../manifest.js';
import { createApp, type CreateAppOptions } from './create-app.js';
import { serveApp, type HttpServerHandle } from './http-server.js';

export interface StartServerOptions extends CreateAppOptions {
  /** Default `manifest.server.port`; 0 picks a free port. */
  port?: number;
  /** Default `manifest.server.host`. */
  host?: string;
}

export async function startServer(manifest: Manifest, options: StartServerOptions = {}): Promise<HttpServerHandle> {
  const app = await createApp(manifest, options);
  try {
    return await serveApp(app, { port: options.port ?? manifest.server.port, host: options.host ?? manifest.server.host });
  } catch (err) {
    await app.close();
    throw err;
  }
}
