/**
 * `flapi bake`: materialise a project's data into one immutable DuckDB file. The file is
 * built under a temporary (hidden) name next to the output: connection `init` runs into it (the
 * tables it creates are the baked tables), then every cache is refreshed into it, the
 * metadata is written, the database is checkpointed and closed, opened again read-only
 * and checked the way a server will check it, and only then renamed into place. A bake
 * that fails or is killed leaves no file under the real name.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { checkArtifact, readArtifactMetadata, writeArtifactMetadata, type BakedTable } from '../../runtime/artifact/index.js';
import { cachedEndpoints, refreshCache, type SnapshotRecord } from '../../runtime/cache/index.js';
import { catalogFile, openDatabase } from '../../runtime/db/index.js';
import type { Manifest } from '../../runtime/manifest.js';
import { bakedTables, bakedViews, type BakedView } from './baked-tables.js';
import { sourceSnapshot } from './source-snapshot.js';

export interface BakeOptions {
  manifest: Manifest;
  out: string;
  /** Recorded as the artifact version; default: the build time, `20261122T181530Z`. */
  version?: string;
  flapiVersion: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Progress lines for the user. */
  progress?: (line: string) => void;
}

export interface BakeResult {
  file: string;
  version: string;
  builtAt: string;
  tables: BakedTable[];
  views: BakedView[];
  caches: SnapshotRecord[];
  bytes: number;
  ms: number;
}

function defaultVersion(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Settings for writing: the project may serve read-only, but the bake must write. */
function writableManifest(manifest: Manifest, path: string): Manifest {
  const settings = { ...manifest.duckdb.settings };
  delete settings['access_mode'];
  return { ...manifest, duckdb: { ...manifest.duckdb, dbPath: path, settings } };
}

export async function bakeArtifact(options: BakeOptions): Promise<BakeResult> {
  const started = performance.now();
  const progress = options.progress ?? (() => {});
  const out = resolve(options.out);
  if (!existsSync(dirname(out))) throw new Error(`the folder ${dirname(out)} does not exist`);
  // Same file system, so the rename is atomic. DuckDB names the catalog after the file: the
  // file is named after the project's catalog, so `{{cache.catalog}}` and the cache views
  // read the same name while baking as when the artifact is served.
  const tmpDir = join(dirname(out), `.flapi-bake-${process.pid}-${basename(out)}`);
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir);
  const duckdb = options.manifest.duckdb;
  const tmp = catalogFile(tmpDir, { ...duckdb, dbPath: duckdb.dbPath ?? out });
  const builtAtDate = new Date();
  const builtAt = builtAtDate.toISOString();
  const version = options.version ?? defaultVersion(builtAtDate);
  const manifest = writableManifest(options.manifest, tmp);
  const env = options.env ?? process.env;

  try {
    progress('running connection init');
    const database = await openDatabase(manifest, { poolSize: 1, env });
    let tables: BakedTable[];
    let views: BakedView[];
    const caches: SnapshotRecord[] = [];
    try {
      const origins = new Map<string, string>();
      for (const endpoint of cachedEndpoints(manifest)) {
        progress(`refreshing the cache of ${endpoint.name} (${endpoint.cache!.schema}.${endpoint.cache!.table})`);
        const snapshot = await refreshCache(database, manifest, endpoint, { full: true, trigger: 'bake', env });
        caches.push(snapshot);
        if (snapshot.physicalTable) origins.set(`${endpoint.cache!.schema}.${snapshot.physicalTable}`, `cache:${endpoint.name}`);
      }
      await database.withConnection(async (connection) => {
        tables = await bakedTables(connection, origins);
        views = await bakedViews(connection);
        await writeArtifactMetadata(connection, {
          version, builtAt, flapiVersion: options.flapiVersion, project: manifest.project.name, source: sourceSnapshot(manifest, caches), tables,
        });
        await connection.run('CHECKPOINT');
      });
    } finally {
      await database.close();
    }

    progress('checking the artifact as a server will');
    const check = await openDatabase(manifest, { readOnly: true, poolSize: 1, env });
    try {
      await checkArtifact(check, options.manifest, await readArtifactMetadata(check), { env });
    } finally {
      await check.close();
    }
    rmSync(`${tmp}.wal`, { force: true });
    renameSync(tmp, out);
    rmSync(tmpDir, { recursive: true, force: true });
    return { file: out, version, builtAt, tables: tables!, views: views!, caches, bytes: statSync(out).size, ms: Math.round(performance.now() - started) };
  } catch (err) {
    rmSync(tmpDir, { recursive: true, force: true });
    throw err;
  }
}
