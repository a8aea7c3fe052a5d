/**
 * An artifact in S3 or an S3-compatible store (MinIO, R2, s3rver), read with the AWS
 * SDK and its default credential chain (env keys, shared config, IAM role). A poll is
 * one conditional GetObject: unchanged objects cost a 304 and no body. That GetObject
 * asks for the first part only; an object larger than a part is read in parts, several
 * at a time, each pinned to the first answer's ETag (If-Match, and the ETag each part
 * comes back with). A store that ignores Range sends the whole object, read as one stream.
 */
import { GetObjectCommand, S3Client, S3ServiceException, type GetObjectCommandInput, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import type { ArtifactLocation } from './artifact-location.js';
import type { ResolvedArtifactSettings } from './artifact-settings.js';
import { ArtifactFetchError, type ArtifactStore, type FetchOptions, type FetchOutcome } from './artifact-store.js';
import { byteRange, downloadInParts, totalFromContentRange, type PartLayout } from './download-in-parts.js';
import { downloadToFile } from './download-to-file.js';

const CHANGED = 'the object changed during the download; the next poll fetches the new version';

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

export class S3Store implements ArtifactStore {
  readonly location: ArtifactLocation & { kind: 's3' };
  private readonly client: S3Client;
  private readonly endpoint: string | undefined;
  private readonly layout: PartLayout;

  constructor(location: ArtifactLocation & { kind: 's3' }, settings: ResolvedArtifactSettings) {
    this.location = location;
    this.endpoint = settings.endpoint;
    this.layout = { partSize: settings.partSize, parts: settings.parts };
    // Node 20 is a supported line (README, "Node.js versions"); the SDK's notice that its
    // releases from 2027 need Node 22 is suppressible by this variable, as AWS documents.
    if (process.versions.node.startsWith('20.')) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.client = new S3Client({
      region: settings.region ?? 'us-east-1',
      ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint } : {}),
      forcePathStyle: settings.forcePathStyle,
      // The poller has its own backoff; a cold start should fail within seconds, not minutes.
      maxAttempts: 2,
    });
  }

  private get(input: Omit<GetObjectCommandInput, 'Bucket' | 'Key'>, signal: AbortSignal | undefined): Promise<GetObjectCommandOutput> {
    const { bucket, key } = this.location;
    return this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...input }), signal ? { abortSignal: signal } : {});
  }

  async fetch(dest: string, options: FetchOptions = {}): Promise<FetchOutcome> {
    const conditional = options.ifNoneMatch !== undefined ? { IfNoneMatch: options.ifNoneMatch } : {};
    const ranged = this.layout.parts > 1;
    let output;
    try {
      output = await this.get({ ...conditional, ...(ranged ? { Range: byteRange(0, this.layout.partSize - 1) } : {}) }, options.signal).catch((err: unknown) => {
        // An empty object has no byte 0 to ask for: ask for all of it.
        if (ranged && statusOf(err) === 416) return this.get(conditional, options.signal);
        throw err;
      });
    } catch (err) {
      if (statusOf(err) === 304) return { status: 'not-modified' };
      throw new ArtifactFetchError(this.explain(err), { cause: err });
    }
    if (!(output.Body instanceof Readable)) throw new ArtifactFetchError('GetObject returned no readable body');
    // A single-part upload's ETag is the MD5 of its bytes (multipart ones carry a `-N` suffix).
    const md5 = /^"?([0-9a-f]{32})"?$/.exec(output.ETag ?? '')?.[1];
    const total = totalFromContentRange(output.ContentRange);
    const size = total !== undefined && total > (output.ContentLength ?? total)
      ? await downloadInParts({
        ...this.layout, dest, size: total, first: output.Body, signal: options.signal, expectedMd5: md5,
        readPart: (start, end, signal) => this.part(start, end, output.ETag, signal),
      })
      : await downloadToFile(output.Body, dest, output.ContentLength, options.signal, md5);
    return {
      status: 'fetched',
      artifact: {
        file: dest,
        owned: true,
        ...(output.ETag !== undefined ? { etag: output.ETag } : {}),
        size,
        ...(output.LastModified !== undefined ? { lastModified: output.LastModified } : {}),
      },
    };
  }

  /** One part of the version whose ETag the first answer carried. */
  private async part(start: number, end: number, etag: string | undefined, signal: AbortSignal): Promise<Readable> {
    let output;
    try {
      output = await this.get({ Range: byteRange(start, end), ...(etag !== undefined ? { IfMatch: etag } : {}) }, signal);
    } catch (err) {
      if (statusOf(err) === 412) throw new ArtifactFetchError(CHANGED, { cause: err });
      throw new ArtifactFetchError(this.explain(err), { cause: err });
    }
    if (!(output.Body instanceof Readable)) throw new ArtifactFetchError('GetObject returned no readable body');
    // Stores that ignore If-Match (s3rver) still name the version they sent.
    if (output.ETag !== etag) {
      output.Body.destroy();
      throw new ArtifactFetchError(`${CHANGED} (ETag ${etag ?? 'none'}, then ${output.ETag ?? 'none'})`);
    }
    return output.Body;
  }

  private explain(err: unknown): string {
    const where = this.endpoint !== undefined ? ` (endpoint ${this.endpoint})` : '';
    const status = statusOf(err);
    if (err instanceof S3ServiceException || status !== undefined) {
      const name = (err as Error).name;
      if (status === 404 || name === 'NoSuchKey') return `the object does not exist${where} (${name})`;
      if (name === 'NoSuchBucket') return `the bucket ${this.location.bucket} does not exist${where}`;
      if (status === 403) return `access denied${where} (${name}): check the credentials (AWS_ACCESS_KEY_ID / IAM role) and the bucket policy`;
      return `S3 answered ${status ?? '?'} ${name}${where}: ${(err as Error).message}`;
    }
    return `cannot reach S3${where}: ${(err as Error).message}`;
  }
}
