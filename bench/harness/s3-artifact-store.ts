/**
 * An S3-compatible store on loopback for the artifact benchmark: s3rver with one bucket,
 * and the environment a built server needs to read from it (endpoint override, the fixed
 * keys s3rver accepts, a download folder).
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface S3ArtifactStore {
  /** `s3://bucket/key` of the uploaded artifact. */
  url: string;
  /** Environment for a server reading `url`. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function uploadToS3rver(file: string, key = 'flights.duckdb'): Promise<S3ArtifactStore> {
  const directory = mkdtempSync(join(tmpdir(), 'flapi-bench-s3-'));
  const downloads = mkdtempSync(join(tmpdir(), 'flapi-bench-downloads-'));
  const bucket = 'artifacts';
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(file) }));
  client.destroy();
  return {
    url: `s3://${bucket}/${key}`,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
      FLAPI_ARTIFACT_DIR: downloads,
    },
    async close() {
      server.httpServer.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
      rmSync(downloads, { recursive: true, force: true });
    },
  };
}
