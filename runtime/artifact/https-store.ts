/**
 * An artifact behind an HTTP(S) URL, fetched with `fetch` and `If-None-Match` (or
 * `If-Modified-Since` when the server gives no ETag). Trust for a private CA comes from
 * Node's own `NODE_EXTRA_CA_CERTS`. The first request asks for the first part; a server
 * that honours Range and holds more is read in parts, each conditional on the first
 * answer's validator (`If-Range`), and one that ignores Range sends the file whole.
 */
import type { ArtifactLocation } from './artifact-location.js';
import { describeLocation } from './artifact-location.js';
import type { ResolvedArtifactSettings } from './artifact-settings.js';
import { ArtifactFetchError, type ArtifactStore, type FetchOptions, type FetchOutcome } from './artifact-store.js';
import { byteRange, downloadInParts, totalFromContentRange, type PartLayout } from './download-in-parts.js';
import { downloadToFile } from './download-to-file.js';

/** Versions without an ETag are named by their Last-Modified date with this prefix. */
const MODIFIED = 'last-modified:';

export class HttpsStore implements ArtifactStore {
  readonly location: ArtifactLocation & { kind: 'https' };
  private readonly layout: PartLayout;

  constructor(location: ArtifactLocation & { kind: 'https' }, settings?: Pick<ResolvedArtifactSettings, 'partSize' | 'parts'>) {
    this.location = location;
    this.layout = { partSize: settings?.partSize ?? 0, parts: settings?.parts ?? 1 };
  }

  private async get(headers: Record<string, string>, signal: AbortSignal | undefined): Promise<Response> {
    try {
      return await fetch(this.location.url, { headers, redirect: 'follow', ...(signal ? { signal } : {}) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new ArtifactFetchError(`cannot reach ${describeLocation(this.location)}: ${cause?.code ?? cause?.message ?? (err as Error).message}`, { cause: err });
    }
  }

  async fetch(dest: string, options: FetchOptions = {}): Promise<FetchOutcome> {
    const headers: Record<string, string> = {};
    const held = options.ifNoneMatch;
    if (held?.startsWith(MODIFIED)) headers['if-modified-since'] = held.slice(MODIFIED.length);
    else if (held !== undefined) headers['if-none-match'] = held;
    // Byte offsets are of the file itself, so parts travel uncompressed.
    if (this.layout.parts > 1) Object.assign(headers, { range: byteRange(0, this.layout.partSize - 1), 'accept-encoding': 'identity' });
    let response = await this.get(headers, options.signal);
    if (response.status === 416) {
      // An empty file has no byte 0 to ask for: ask for all of it.
      await response.body?.cancel();
      const { range: _range, ...whole } = headers;
      response = await this.get(whole, options.signal);
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
    const lastModified = response.headers.get('last-modified') ?? undefined;
    const etag = response.headers.get('etag') ?? (lastModified !== undefined ? `${MODIFIED}${lastModified}` : undefined);
    const total = response.status === 206 ? totalFromContentRange(response.headers.get('content-range')) : undefined;
    if (response.status === 206 && (total === undefined || expected === undefined)) {
      await response.body.cancel();
      throw new ArtifactFetchError(`${describeLocation(this.location)} answered a range without its length (Content-Range ${response.headers.get('content-range') ?? 'missing'})`);
    }
    const size = total !== undefined && expected !== undefined && total > expected
      ? await downloadInParts({
        ...this.layout, dest, size: total, first: response.body, signal: options.signal,
        readPart: (start, end, signal) => this.part(start, end, response.headers, signal),
      })
      : await downloadToFile(response.body, dest, expected, options.signal);
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

  /**
   * One part of the version the first answer came from: `If-Range` names its strong ETag
   * (or Last-Modified), so a server holding another version sends 200 and the whole file.
   */
  private async part(start: number, end: number, first: Headers, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const etag = first.get('etag');
    const validator = etag !== null && !etag.startsWith('W/') ? etag : first.get('last-modified');
    const headers = { range: byteRange(start, end), 'accept-encoding': 'identity', ...(validator !== null ? { 'if-range': validator } : {}) };
    const response = await this.get(headers, signal);
    const changed = response.status === 200 || (etag !== null && response.headers.get('etag') !== etag);
    if (response.status !== 206 || changed || response.body === null) {
      await response.body?.cancel();
      throw new ArtifactFetchError(changed
        ? `${describeLocation(this.location)} changed during the download; the next poll fetches the new version`
        : `${describeLocation(this.location)} answered ${response.status} ${response.statusText} for bytes ${start}-${end}`);
    }
    return response.body;
  }
}
