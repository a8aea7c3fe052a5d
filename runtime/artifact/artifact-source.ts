/**
 * One artifact location as a server sees it: fetch a version into the download folder,
 * check it, and open it read-only. Each version becomes a LoadedArtifact that owns its
 * database and (for downloads) its file; retiring the version frees both.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { catalogFile, openDatabase, type Database } from '../db/index.js';
import type { Manifest } from '../manifest.js';
import { describeLocation, parseArtifactLocation, type ArtifactLocation } from './artifact-location.js';
import { readArtifactMetadata, type ArtifactMetadata } from './artifact-metadata.js';
import { ArtifactRejectedError } from './artifact-rejected.js';
import { resolveArtifactSettings, type Env, type ResolvedArtifactSettings } from './artifact-settings.js';
import type { ArtifactStore, FetchedArtifact } from './artifact-store.js';
import { createArtifactStore } from './create-artifact-store.js';
import { checkArtifact } from './check-artifact.js';
import { checkDuckdbHeader } from './duckdb-header.js';
import { snapshotLocal } from './local-snapshot.js';

/** What `/_flapi/ready` and the logs say about the version being served. */
export interface ArtifactVersion {
  /** The location, without credentials. */
  source: string;
  /** The baked version from the metadata, else the store's ETag. */
  version: string;
  etag?: string;
  builtAt?: string;
  loadedAt: string;
  size: number;
}

export interface LoadedArtifact {
  readonly version: ArtifactVersion;
  readonly metadata: ArtifactMetadata | undefined;
  readonly database: Database;
  /** Closes the database and deletes the file if it was a download. */
  dispose(): Promise<void>;
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** DuckDB's first error line, with the likely cause named when it is a short file. */
function duckdbProblem(err: unknown): string {
  const line = String((err as Error).message).split('\n')[0]!;
  return /Could not read enough bytes/i.test(line) ? `the file is truncated (${line})` : line;
}

export interface ArtifactSourceOptions {
  env?: Env;
  poolSize?: number;
}

export class ArtifactSource {
  readonly location: ArtifactLocation;
  readonly description: string;
  readonly settings: ResolvedArtifactSettings;
  private downloads: Promise<string> | undefined;
  private counter = 0;

  private constructor(
    readonly manifest: Manifest,
    private readonly store: ArtifactStore,
    settings: ResolvedArtifactSettings,
    private readonly options: ArtifactSourceOptions,
  ) {
    this.location = store.location;
    this.description = describeLocation(store.location);
    this.settings = settings;
  }

  static async create(manifest: Manifest, options: ArtifactSourceOptions = {}): Promise<ArtifactSource> {
    const path = manifest.duckdb.dbPath;
    if (path === undefined) throw new Error('no duckdb.db_path to serve an artifact from');
    const settings = resolveArtifactSettings(manifest, options.env);
    const store = await createArtifactStore(parseArtifactLocation(path), settings);
    return new ArtifactSource(manifest, store, settings, options);
  }

  /** A fresh file name in this process's download folder (made on first use). */
  private async nextDownload(): Promise<string> {
    this.downloads ??= mkdtemp(join(this.settings.downloadDir, 'flapi-artifact-'));
    // DuckDB names the catalog after the file: one folder per version, the file named after
    // the project's catalog, so `{{cache.catalog}}` and the baked cache views resolve.
    const folder = join(await this.downloads, String(++this.counter));
    await mkdir(folder);
    return catalogFile(folder, this.manifest.duckdb);
  }

  /** The current version, or undefined when it is still `ifNoneMatch`. */
  async fetch(ifNoneMatch?: string, signal?: AbortSignal): Promise<FetchedArtifact | undefined> {
    const dest = this.location.kind === 'local' ? '' : await this.nextDownload();
    // Each download has its own folder; one that brought no file goes with it.
    const dropFolder = () => (dest === '' ? Promise.resolve() : rm(dirname(dest), { recursive: true, force: true }));
    const outcome = await this.store.fetch(dest, { ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}), ...(signal ? { signal } : {}) })
      .catch(async (err: unknown) => {
        await dropFolder();
        throw err;
      });
    if (outcome.status !== 'fetched') {
      await dropFolder();
      return undefined;
    }
    // A server with neither ETag nor Last-Modified: name the version by its content, so an
    // unchanged file is recognised (and not swapped in again) after each download.
    if (outcome.artifact.etag === undefined) return { ...outcome.artifact, etag: `sha256:${await fileSha256(outcome.artifact.file)}` };
    return outcome.artifact;
  }

  /**
   * Checks a fetched file and opens it read-only; a rejected file is deleted if it was a
   * download. With `onlyIfBaked`, a file without flapi's metadata is closed again and
   * undefined returned: a local database file is served as an artifact only if baked.
   */
  async open(fetched: FetchedArtifact, options: { manifest?: Manifest; onlyIfBaked: true }): Promise<LoadedArtifact | undefined>;
  async open(fetched: FetchedArtifact, options?: { manifest?: Manifest; onlyIfBaked?: false }): Promise<LoadedArtifact>;
  async open(given: FetchedArtifact, options: { manifest?: Manifest; onlyIfBaked?: boolean } = {}): Promise<LoadedArtifact | undefined> {
    const manifest = options.manifest ?? this.manifest;
    // A local file is looked at in place (a plain database is never copied), then served from a private copy.
    if (!given.owned && options.onlyIfBaked === true && !(await this.isBaked(given.file, manifest))) return undefined;
    const fetched = given.owned ? given : await snapshotLocal(given, await this.nextDownload());
    const onlyIfBaked = options.onlyIfBaked === true && given.owned;
    let database: Database | undefined;
    try {
      try {
        await checkDuckdbHeader(fetched.file);
        database = await openDatabase({ ...manifest, duckdb: { ...manifest.duckdb, dbPath: fetched.file } }, {
          readOnly: true,
          ...(this.options.poolSize !== undefined ? { poolSize: this.options.poolSize } : {}),
          ...(this.options.env !== undefined ? { env: this.options.env } : {}),
        });
      } catch (err) {
        // Not openable read-only, so not a baked artifact: the caller opens it as a normal database.
        if (onlyIfBaked) return undefined;
        if (err instanceof ArtifactRejectedError) throw err;
        throw new ArtifactRejectedError(`DuckDB cannot open it: ${duckdbProblem(err)}`, { cause: err });
      }
      let metadata: ArtifactMetadata | undefined;
      try {
        metadata = await readArtifactMetadata(database);
      } catch (err) {
        throw new ArtifactRejectedError(`DuckDB cannot read it: ${duckdbProblem(err)}`, { cause: err });
      }
      if (metadata === undefined && onlyIfBaked) {
        await database.close();
        return undefined;
      }
      await checkArtifact(database, manifest, metadata, this.options.env !== undefined ? { env: this.options.env } : {});
      const opened = database;
      const version: ArtifactVersion = {
        source: this.description,
        version: metadata?.version ?? fetched.etag ?? 'unversioned',
        ...(fetched.etag !== undefined ? { etag: fetched.etag } : {}),
        ...(metadata?.builtAt !== undefined ? { builtAt: metadata.builtAt } : {}),
        loadedAt: new Date().toISOString(),
        size: fetched.size,
      };
      let disposed: Promise<void> | undefined;
      return {
        version,
        metadata,
        database: opened,
        dispose: () => (disposed ??= (async () => {
          await opened.close();
          if (fetched.owned) await rm(dirname(fetched.file), { recursive: true, force: true });
        })()),
      };
    } catch (err) {
      await database?.close();
      if (fetched.owned) await rm(dirname(fetched.file), { recursive: true, force: true });
      throw err;
    }
  }

  /** Does this file open read-only and carry flapi's metadata? */
  private async isBaked(file: string, manifest: Manifest): Promise<boolean> {
    let database: Database | undefined;
    try {
      await checkDuckdbHeader(file);
      database = await openDatabase({ ...manifest, duckdb: { ...manifest.duckdb, dbPath: file } }, { readOnly: true, poolSize: 1, ...(this.options.env !== undefined ? { env: this.options.env } : {}) });
      return (await readArtifactMetadata(database)) !== undefined;
    } catch {
      return false;
    } finally {
      await database?.close();
    }
  }

  /** Drops a fetched version that will not be opened. */
  async discard(fetched: FetchedArtifact): Promise<void> {
    if (fetched.owned) await rm(dirname(fetched.file), { recursive: true, force: true });
  }

  /** Removes the download folder; call once every version from this source is disposed. */
  async close(): Promise<void> {
    const dir = this.downloads;
    this.downloads = undefined;
    if (dir !== undefined) await rm(await dir, { recursive: true, force: true });
  }
}
