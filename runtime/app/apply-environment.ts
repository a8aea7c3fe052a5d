/**
 * The environment a deployed server is configured by: platforms hand out the port
 * (`PORT` on Cloud Run and most container hosts) and the database location, while the
 * manifest stays the same file in every environment.
 */
import type { Manifest } from '../manifest.js';

export type Environment = Readonly<Record<string, string | undefined>>;

function parsePort(text: string, name: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new Error(`${name} must be a port number (0-65535), got "${text}"`);
  return port;
}

/**
 * A copy of `manifest` with the environment applied: `FLAPI_PORT` (else `PORT`) sets the
 * port, `FLAPI_HOST` the host, and `FLAPI_DATABASE` the DuckDB file or artifact URL.
 * The flapi-specific name wins over the generic `PORT`, so a user can pin the port even
 * where the platform sets `PORT` for every process.
 */
export function applyEnvironment(manifest: Manifest, env: Environment = process.env): Manifest {
  const server = { ...manifest.server };
  const duckdb = { ...manifest.duckdb, settings: { ...manifest.duckdb.settings } };
  const flapiPort = env['FLAPI_PORT'];
  const port = env['PORT'];
  if (flapiPort) server.port = parsePort(flapiPort, 'FLAPI_PORT');
  else if (port) server.port = parsePort(port, 'PORT');
  if (env['FLAPI_HOST']) server.host = env['FLAPI_HOST'];
  if (env['FLAPI_DATABASE']) duckdb.dbPath = env['FLAPI_DATABASE'];
  return { ...manifest, server, duckdb };
}
