/**
 * The one shape every artifact store has (local file, S3, GCS, HTTPS): fetch the current
 * version unless it is the one already held. Stores are created once per location and
 * reused by every poll; the cloud SDKs are imported only when their scheme is used, so a
 * server on a local file never loads them.
 */
import type { ArtifactLocation } from './artifact-location.js';
import type { ResolvedArtifactSettings } from './artifact-settings.js';
import { importOptional } from '../optional-package.js';

export interface FetchedArtifact {
  /** Local file holding this version. */
  file: string;
  /** True when the file is a download of this process, deleted once the version is retired. */
  owned: boolean;
  /** The store's identity of this version (ETag, generation, or file status); undefined when it gives none. */
  etag?: string;
  size: number;
  lastModified?: Date;
}

export type FetchOutcome = { status: 'not-modified' } | { status: 'fetched'; artifact: FetchedArtifact };

export interface FetchOptions {
  /** The version already held: a store answers `not-modified` instead of downloading it again. */
  ifNoneMatch?: string;
  signal?: AbortSignal;
}

export interface ArtifactStore {
  readonly location: ArtifactLocation;
  /** Fetches the current version into `dest` (a local store serves the file in place). */
  fetch(dest: string, options?: FetchOptions): Promise<FetchOutcome>;
}

/** A fetch that failed: what went wrong, phrased for the operator. */
export class ArtifactFetchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArtifactFetchError';
  }
}

export async function createArtifactStore(location: ArtifactLocation, settings: ResolvedArtifactSettings): Promise<ArtifactStore> {
  switch (location.kind) {
    case 'local':
      return new (await import('./local-store.js')).LocalStore(location);
    case 's3':
      return new (await importOptional(() => import('./s3-store.js'), '@aws-sdk/client-s3', 's3:// artifacts')).S3Store(location, settings);
    case 'gs':
      return new (await importOptional(() => import('./gcs-store.js'), '@google-cloud/storage', 'gs:// artifacts')).GcsStore(location, settings);
    case 'https':
      return new (await import('./https-store.js')).HttpsStore(location);
  }
}
