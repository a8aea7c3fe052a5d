/**
 * An artifact in Google Cloud Storage, read with `@google-cloud/storage` and its default
 * credentials (service account, `GOOGLE_APPLICATION_CREDENTIALS`, metadata server). A
 * poll reads the object's metadata; only a new generation is downloaded, pinned to that
 * generation so the bytes match the metadata even if another upload lands meanwhile.
 * The SDK checks a whole download against the object's CRC32C. An object larger than a
 * part is read in ranges of that generation, several at a time, and checked against its
 * MD5; a composite object, which has none, is read as one stream.
 */
import { Storage, type File } from '@google-cloud/storage';
import type { ArtifactLocation } from './artifact-location.js';
import type { ResolvedArtifactSettings } from './artifact-settings.js';
import { ArtifactFetchError, type ArtifactStore, type FetchOptions, type FetchOutcome } from './artifact-store.js';
import { downloadInParts, type PartLayout } from './download-in-parts.js';
import { downloadToFile } from './download-to-file.js';

function statusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

export class GcsStore implements ArtifactStore {
  readonly location: ArtifactLocation & { kind: 'gs' };
  private readonly storage: Storage;
  private readonly endpoint: string | undefined;
  private readonly layout: PartLayout;

  constructor(location: ArtifactLocation & { kind: 'gs' }, settings: ResolvedArtifactSettings) {
    this.location = location;
    this.endpoint = settings.endpoint;
    this.layout = { partSize: settings.partSize, parts: settings.parts };
    this.storage = new Storage({
      ...(settings.endpoint !== undefined ? { apiEndpoint: settings.endpoint } : {}),
      retryOptions: { maxRetries: 1 },
    });
  }

  private file(generation?: string): File {
    const bucket = this.storage.bucket(this.location.bucket);
    return generation === undefined ? bucket.file(this.location.key) : bucket.file(this.location.key, { generation });
  }

  async fetch(dest: string, options: FetchOptions = {}): Promise<FetchOutcome> {
    let metadata;
    try {
      [metadata] = await this.file().getMetadata();
    } catch (err) {
      throw new ArtifactFetchError(this.explain(err), { cause: err });
    }
    const generation = metadata.generation === undefined ? undefined : String(metadata.generation);
    const etag = generation !== undefined ? `generation:${generation}` : metadata.etag;
    if (etag !== undefined && etag === options.ifNoneMatch) return { status: 'not-modified' };
    const expected = metadata.size === undefined ? undefined : Number(metadata.size);
    let size: number;
    try {
      const md5 = metadata.md5Hash !== undefined ? Buffer.from(metadata.md5Hash, 'base64').toString('hex') : undefined;
      size = expected !== undefined && expected > this.layout.partSize && this.layout.parts > 1 && md5 !== undefined
        ? await downloadInParts({
          ...this.layout, dest, size: expected, signal: options.signal, expectedMd5: md5,
          // Ranges are not checked by the SDK (it hashes whole objects); the MD5 covers them.
          readPart: async (start, end) => this.file(generation).createReadStream({ start, end, validation: false }),
        })
        : await downloadToFile(this.file(generation).createReadStream(), dest, expected, options.signal);
    } catch (err) {
      throw new ArtifactFetchError(`download of generation ${generation ?? '?'} failed: ${(err as Error).message}`, { cause: err });
    }
    return {
      status: 'fetched',
      artifact: {
        file: dest,
        owned: true,
        ...(etag !== undefined ? { etag } : {}),
        size,
        ...(metadata.updated !== undefined ? { lastModified: new Date(metadata.updated) } : {}),
      },
    };
  }

  private explain(err: unknown): string {
    const where = this.endpoint !== undefined ? ` (endpoint ${this.endpoint})` : '';
    const status = statusOf(err);
    if (status === 404) return `the object does not exist${where}`;
    if (status === 401 || status === 403) return `access denied${where}: check the service account or GOOGLE_APPLICATION_CREDENTIALS`;
    if (status !== undefined) return `GCS answered ${status}${where}: ${(err as Error).message}`;
    return `cannot reach GCS${where}: ${(err as Error).message}`;
  }
}
