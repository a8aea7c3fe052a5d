/**
 * An artifact in S3 or an S3-compatible store (MinIO, R2, s3rver), read with the AWS
 * SDK and its default credential chain (env keys, shared config, IAM role). A poll is
 * one conditional GetObject: unchanged objects cost a 304 and no body.
 */
import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import type { ArtifactLocation } from './artifact-location.js';
import type { ResolvedArtifactSettings } from './artifact-settings.js';
import { ArtifactFetchError, type ArtifactStore, type FetchOptions, type FetchOutcome } from './artifact-store.js';
import { downloadToFile } from './download-to-file.js';

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

export class S3Store implements ArtifactStore {
  readonly location: ArtifactLocation & { kind: 's3' };
  private readonly client: S3Client;
  private readonly endpoint: string | undefined;

  constructor(location: ArtifactLocation & { kind: 's3' }, settings: ResolvedArtifactSettings) {
    this.location = location;
    this.endpoint = settings.endpoint;
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

  async fetch(dest: string, options: FetchOptions = {}): Promise<FetchOutcome> {
    const { bucket, key } = this.location;
    let output;
    try {
      output = await this.client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, ...(options.ifNoneMatch !== undefined ? { IfNoneMatch: options.ifNoneMatch } : {}) }),
        options.signal ? { abortSignal: options.signal } : {},
      );
    } catch (err) {
      if (statusOf(err) === 304) return { status: 'not-modified' };
      throw new ArtifactFetchError(this.explain(err), { cause: err });
    }
    if (!(output.Body instanceof Readable)) throw new ArtifactFetchError('GetObject returned no readable body');
    // A single-part upload's ETag is the MD5 of its bytes (multipart ones carry a `-N` suffix).
    const md5 = /^"?([0-9a-f]{32})"?$/.exec(output.ETag ?? '')?.[1];
    const size = await downloadToFile(output.Body, dest, output.ContentLength, options.signal, md5);
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
