/**
 * An artifact behind an HTTP(S) URL, fetched with `fetch` and `If-None-Match` (or
 * `If-Modified-Since` when the server gives no ETag). Trust for a private CA comes from
 * Node's own `NODE_EXTRA_CA_CERTS`.
 */
import type { ArtifactLocation } from './artifact-location.js';
import { describeLocation } from './artifact-location.js';
import { ArtifactFetchError, type ArtifactStore, type FetchOptions, type FetchOutcome } from './artifact-store.js';
import { downloadToFile } from './download-to-file.js';

/** Versions without an ETag are named by their Last-Modified date with this prefix. */
const MODIFIED = 'last-modified:';

export class HttpsStore implements ArtifactStore {
  readonly location: ArtifactLocation & { kind: 'https' };

  constructor(location: ArtifactLocation & { kind: 'https' }) {
    this.location = location;
  }

  async fetch(dest: string, options: FetchOptions = {}): Promise<FetchOutcome> {
    const headers: Record<string, string> = {};
    const held = options.ifNoneMatch;
    if (held?.startsWith(MODIFIED)) headers['if-modified-since'] = held.slice(MODIFIED.length);
    else if (held !== undefined) headers['if-none-match'] = held;
    let response: Response;
    try {
      response = await fetch(this.location.url, { headers, redirect: 'follow', ...(options.signal ? { signal: options.signal } : {}) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new ArtifactFetchError(`cannot reach ${describeLocation(this.location)}: ${cause?.code ?? cause?.message ?? (err as Error).message}`, { cause: err });
    }
    if (response.status === 304) {
      await response.body?.cancel();
      return { status: 'not-modified' };
    }
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      throw new ArtifactFetchError(`${describeLocation(this.location)} answered ${response.status} ${response.statusText}`);
    }
    const length = response.headers.get('content-length');
    // A compressed transfer announces the compressed length, not the file's.
    const expected = length !== null && !response.headers.get('content-encoding') ? Number(length) : undefined;
    const size = await downloadToFile(response.body, dest, expected, options.signal);
    const lastModified = response.headers.get('last-modified') ?? undefined;
    const etag = response.headers.get('etag') ?? (lastModified !== undefined ? `${MODIFIED}${lastModified}` : undefined);
    return {
      status: 'fetched',
      artifact: {
        file: dest,
        owned: true,
        ...(etag !== undefined ? { etag } : {}),
        size,
        ...(lastModified !== undefined ? { lastModified: new Date(lastModified) } : {}),
      },
    };
  }
}
