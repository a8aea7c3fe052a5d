/**
 * Lambda's file system is read-only except `/tmp`, and `HOME` may be unset. DuckDB
 * spills large sorts and joins to its temp directory and keeps its own files under the
 * home directory, so both point into `/tmp` unless the project configured them.
 */
import type { Manifest } from '../../manifest.js';

export function lambdaDefaults(manifest: Manifest, tmp = '/tmp'): Manifest {
  const settings = { ...manifest.duckdb.settings };
  settings['temp_directory'] ??= `${tmp}/duckdb`;
  settings['home_directory'] ??= tmp;
  return { ...manifest, duckdb: { ...manifest.duckdb, settings } };
}
