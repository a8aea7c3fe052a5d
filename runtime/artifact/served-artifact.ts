/**
 * Decides at start whether `duckdb.db_path` is served as a read-only artifact, and if so
 * loads its first version. Remote paths (s3://, gs://, https://) always are. A local file
 * is when `flapi bake` made it (it holds the metadata tables) or when the project sets
 * `access_mode: READ_ONLY`; any other local file stays a normal, writable database.
 */
import { existsSync } from 'node:fs';
import type { Manifest } from '../manifest.js';
import { isRemotePath } from './artifact-location.js';
import { ArtifactSource, type ArtifactSourceOptions, type LoadedArtifact } from './artifact-source.js';

export interface ServedArtifact {
  source: ArtifactSource;
  loaded: LoadedArtifact;
}

/** A cold start that cannot serve its artifact: the message says what is wrong and where. */
export class ArtifactStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArtifactStartError';
  }
}

function declaredReadOnly(manifest: Manifest): boolean {
  return String(manifest.duckdb.settings['access_mode'] ?? '').toUpperCase() === 'READ_ONLY';
}

export async function openServedArtifact(manifest: Manifest, options: ArtifactSourceOptions = {}): Promise<ServedArtifact | undefined> {
  const path = manifest.duckdb.dbPath;
  if (path === undefined) return undefined;
  const remote = isRemotePath(path);
  if (!remote && !existsSync(path)) return undefined;
  let source: ArtifactSource | undefined;
  try {
    source = await ArtifactSource.create(manifest, options);
    const fetched = await source.fetch();
    if (fetched === undefined) throw new Error('the store answered "not modified" to an unconditional request');
    const loaded = remote || declaredReadOnly(manifest) ? await source.open(fetched) : await source.open(fetched, { onlyIfBaked: true });
    if (loaded === undefined) {
      await source.close();
      return undefined;
    }
    return { source, loaded };
  } catch (err) {
    await source?.close();
    throw new ArtifactStartError(`cannot serve the artifact ${source?.description ?? path}: ${(err as Error).message}`, { cause: err });
  }
}
