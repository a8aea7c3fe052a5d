/**
 * After connection `init` has run, the DuckDB instance is locked down so no request can
 * reach what the project did not name: `enable_external_access = false` with only the
 * project folder, the paths in connection properties, `duckdb.allowed-directories` and
 * the process's private temp folder allowed (DuckDB itself adds the database file, its
 * WAL and its temp folder); no extension loads or installs; `lock_configuration` keeps
 * any statement from undoing it. `duckdb.external-access: true` (or DuckDB's own
 * `enable_external_access: true`) leaves the instance open.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, parse, resolve, sep } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Manifest } from '../manifest.js';
import { privateTempDir } from './private-temp.js';

export interface AllowedLocations {
  directories: string[];
  paths: string[];
}

const GLOB = /[*?[{]/;

function isFilesystemRoot(path: string): boolean {
  return parse(path).root === path;
}

function asDirectory(path: string): string {
  return path.endsWith(sep) ? path : path + sep;
}

/** Where a connection property points, when it is a local path. */
function propertyLocation(value: string, into: AllowedLocations): void {
  if (!isAbsolute(value) || value.includes('://')) return;
  const glob = GLOB.exec(value);
  if (glob !== null) {
    // `/data/*.parquet`: the folder the pattern starts in.
    const folder = dirname(value.slice(0, glob.index) + 'x');
    if (!isFilesystemRoot(folder)) into.directories.push(asDirectory(folder));
    return;
  }
  const stat = existsSync(value) ? statSync(value) : undefined;
  if (stat?.isDirectory()) {
    if (!isFilesystemRoot(value)) into.directories.push(asDirectory(value));
  } else {
    into.paths.push(value);
  }
}

/** Everything the locked-down instance may read or write besides its own files. */
export function allowedLocations(manifest: Manifest): AllowedLocations {
  const out: AllowedLocations = { directories: [asDirectory(privateTempDir())], paths: [] };
  const root = resolve(manifest.project.root);
  // A manifest without a real project folder (built in code) names "/": allowing it would allow everything.
  if (!isFilesystemRoot(root)) out.directories.push(asDirectory(root));
  for (const dir of manifest.duckdb.allowedDirectories ?? []) out.directories.push(asDirectory(resolve(root, dir)));
  for (const connection of Object.values(manifest.connections)) {
    for (const value of Object.values(connection.properties)) if (typeof value === 'string') propertyLocation(value, out);
  }
  if (manifest.duckdb.dbPath !== undefined && isAbsolute(manifest.duckdb.dbPath)) out.paths.push(manifest.duckdb.dbPath);
  return { directories: [...new Set(out.directories)], paths: [...new Set(out.paths)] };
}

export function externalAccessAllowed(manifest: Manifest): boolean {
  const setting = manifest.duckdb.settings['enable_external_access'];
  return manifest.duckdb.externalAccess === true || setting === true || setting === 'true';
}

function listLiteral(values: readonly string[]): string {
  return `[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]`;
}

/** Reads the answer to `SELECT current_setting('lock_configuration')`. */
export function isLocked(result: { getRows(): unknown[][] }): boolean {
  return result.getRows()[0]?.[0] === true;
}

/** Locks the instance `connection` belongs to; a no-op when it is locked already (a shared instance). */
export async function lockDown(connection: DuckDBConnection, manifest: Manifest): Promise<void> {
  if (externalAccessAllowed(manifest)) return;
  if (isLocked(await connection.runAndReadAll("SELECT current_setting('lock_configuration')"))) return;
  const allowed = allowedLocations(manifest);
  await connection.run(
    [
      `SET GLOBAL allowed_directories = ${listLiteral(allowed.directories)}`,
      `SET GLOBAL allowed_paths = ${listLiteral(allowed.paths)}`,
      'SET GLOBAL autoload_known_extensions = false',
      'SET GLOBAL autoinstall_known_extensions = false',
      'SET GLOBAL enable_external_access = false',
      'SET GLOBAL lock_configuration = true',
    ].join(';\n'),
  );
}
