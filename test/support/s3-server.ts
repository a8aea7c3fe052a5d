/**
 * A real S3-compatible server on loopback (s3rver, files in a temp folder) with one
 * bucket, an SDK client to upload with, and a log of the requests it answered so tests
 * can see conditional GETs come back 304.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** s3rver checks signatures against this fixed key pair. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface S3Server {
  readonly endpoint: string;
  readonly bucket: string;
  /** `METHOD path status if-none-match range` of every request answered. */
  readonly requests: { method: string; path: string; status: number; ifNoneMatch?: string; range?: string }[];
  put(key: string, bytes: Buffer): Promise<void>;
  close(): Promise<void>;
}

export async function startS3Server(bucket = 'artifacts'): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), 'flapi-s3rver-'));
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await s3rver.run();
  const requests: S3Server['requests'] = [];
  s3rver.httpServer.on('request', (req, res) => {
    res.once('finish', () => {
      const ifNoneMatch = req.headers['if-none-match'];
      const range = req.headers['range'];
      requests.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, status: res.statusCode, ...(ifNoneMatch ? { ifNoneMatch } : {}), ...(range ? { range } : {}) });
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  return {
    endpoint,
    bucket,
    requests,
    async put(key, bytes) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    },
    async close() {
      client.destroy();
      s3rver.httpServer.closeAllConnections();
      await s3rver.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
