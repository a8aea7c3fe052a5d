/**
 * Makes the store for a location. Stores are created once per location and reused by
 * every poll; the cloud SDKs are imported only when their scheme is used, so a server on
 * a local file never loads them.
 */
import type { ArtifactLocation } from './artifact-location.js';
import type { ResolvedArtifactSettings } from './artifact-settings.js';
import type { ArtifactStore } from './artifact-store.js';
import { importOptional } from '../optional-package.js';

export async function createArtifactStore(location: ArtifactLocation, settings: ResolvedArtifactSettings): Promise<ArtifactStore> {
  switch (location.kind) {
    case 'local':
      return new (await import('./local-store.js')).LocalStore(location);
    case 's3':
      return new (await importOptional(() => import('./s3-store.js'), '@aws-sdk/client-s3', 's3:// artifacts')).S3Store(location, settings);
    case 'gs':
      return new (await importOptional(() => import('./gcs-store.js'), '@google-cloud/storage', 'gs:// artifacts')).GcsStore(location, settings);
    case 'https':
      return new (await import('./https-store.js')).HttpsStore(location, settings);
  }
}
