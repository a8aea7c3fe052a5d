/**
 * The one shape every artifact store has (local file, S3, GCS, HTTPS): fetch the current
 * version unless it is the one already held. Stores are made by create-artifact-store.ts.
 */
import type { ArtifactLocation } from './artifact-location.js';

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
