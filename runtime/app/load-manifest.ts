/**
 * Reads a manifest written by `flapi build`. A built project travels between machines,
 * so its manifest names data files relative to its own folder (`./data/flights.parquet`);
 * here they become absolute again, exactly as the compiler resolves paths in flapi.yaml,
 * and the server may be started from any working directory.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANIFEST_VERSION, type ConnectionSpec, type Manifest } from '../manifest.js';

function isRelativePath(value: unknown): value is string {
  return typeof value === 'string' && (value.startsWith('./') || value.startsWith('../'));
}

/** A local database path relative to the manifest; remote URLs and `:memory:` stay as they are. */
function resolveDbPath(dbPath: string | undefined, base: string): string | undefined {
  if (dbPath === undefined || dbPath === ':memory:' || isAbsolute(dbPath) || /^[a-z][a-z0-9+.-]*:\/\//i.test(dbPath)) return dbPath;
  return resolve(base, dbPath);
}

function resolveConnection(spec: ConnectionSpec, base: string): ConnectionSpec {
  const properties: ConnectionSpec['properties'] = {};
  for (const [key, value] of Object.entries(spec.properties)) properties[key] = isRelativePath(value) ? resolve(base, value) : value;
  return { ...spec, properties };
}

/** Makes the manifest's relative paths absolute against `base` (the manifest's folder). */
export function resolveManifestPaths(manifest: Manifest, base: string): Manifest {
  const connections: Manifest['connections'] = {};
  for (const [name, spec] of Object.entries(manifest.connections)) connections[name] = resolveConnection(spec, base);
  const tls = manifest.server.tls;
  const server = tls === undefined ? manifest.server : {
    ...manifest.server,
    tls: { certFile: resolve(base, tls.certFile), keyFile: resolve(base, tls.keyFile) },
  };
  return {
    ...manifest,
    project: { ...manifest.project, root: base },
    server,
    duckdb: { ...manifest.duckdb, dbPath: resolveDbPath(manifest.duckdb.dbPath, base) },
    connections,
  };
}

export function loadManifest(file: string | URL): Manifest {
  const path = typeof file === 'string' ? resolve(file) : fileURLToPath(file);
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Manifest>;
  if (parsed.manifestVersion !== MANIFEST_VERSION) {
    throw new Error(`${path}: manifest version ${String(parsed.manifestVersion)} is not supported (this runtime reads version ${MANIFEST_VERSION}); rebuild the project with a matching flapi`);
  }
  return resolveManifestPaths(parsed as Manifest, dirname(path));
}
