/**
 * Artifacts larger than one part are downloaded in parts, several at a time, from S3
 * (s3rver), an HTTP server that honours Range and GCS (the local look-alike): the file is
 * byte-identical, every part is pinned to the first answer's version, and a server that
 * ignores Range is read as one stream.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createArtifactStore, parseArtifactLocation, startServer, type ArtifactStore, type ResolvedArtifactSettings } from '../runtime/index.js';
import { downloadInParts } from '../runtime/artifact/download-in-parts.js';
import { artifactBytes, artifactManifest, recordingLogger } from './support/artifact-files.js';
import { startGcsServer, type GcsServer } from './support/gcs-server.js';
import { startFileServer, type FileServer } from './support/https-server.js';
import { S3RVER_CREDENTIALS, startS3Server, type S3Server } from './support/s3-server.js';

process.env['AWS_ACCESS_KEY_ID'] = S3RVER_CREDENTIALS.accessKeyId;
process.env['AWS_SECRET_ACCESS_KEY'] = S3RVER_CREDENTIALS.secretAccessKey;
process.env['AWS_REGION'] = 'us-east-1';

const PART = 128 * 1024;
const scratch = mkdtempSync(join(tmpdir(), 'flapi-artifact-parts-'));
let big: Buffer;
let s3: S3Server;
let files: FileServer;
let gcs: GcsServer;
before(async () => {
  big = await artifactBytes({ label: 'big', rows: 200_000 }, join(scratch, 'big.duckdb'));
  assert.ok(big.length > 4 * PART, `the artifact spans several parts (${big.length} bytes)`);
  [s3, files, gcs] = await Promise.all([startS3Server(), startFileServer(), startGcsServer()]);
});
after(async () => {
  await Promise.all([s3.close(), files.close(), gcs.close()]);
  rmSync(scratch, { recursive: true, force: true });
});

const settings = (endpoint?: string): ResolvedArtifactSettings => ({
  ...(endpoint !== undefined ? { endpoint } : {}), forcePathStyle: true, pollIntervalMs: 0, downloadDir: scratch, partSize: PART, parts: 3,
});
const store = (url: string, endpoint?: string): Promise<ArtifactStore> => createArtifactStore(parseArtifactLocation(url), settings(endpoint));
const partRanges = (size: number): string[] =>
  Array.from({ length: Math.ceil(size / PART) }, (_, i) => `bytes=${i * PART}-${Math.min(size, (i + 1) * PART) - 1}`);

async function fetchedBytes(s: ArtifactStore, name: string): Promise<Buffer> {
  const dest = join(scratch, name);
  const outcome = await s.fetch(dest);
  assert.equal(outcome.status, 'fetched');
  const bytes = readFileSync(dest);
  rmSync(dest);
  return bytes;
}

describe('an S3 artifact larger than a part', () => {
  it('is read in ranged GetObjects, one per part, and is byte-identical', async () => {
    await s3.put('big.duckdb', big);
    s3.requests.length = 0;
    assert.ok((await fetchedBytes(await store(`s3://${s3.bucket}/big.duckdb`, s3.endpoint), 's3.duckdb')).equals(big));
    assert.deepEqual(s3.requests.map((r) => r.range).sort(), partRanges(big.length).sort());
    assert.ok(s3.requests.every((r) => r.method === 'GET' && r.status === 206));
  });

  it('still costs one 304 while unchanged', async () => {
    const s = await store(`s3://${s3.bucket}/big.duckdb`, s3.endpoint);
    const first = await s.fetch(join(scratch, 'held.duckdb'));
    assert.equal(first.status, 'fetched');
    s3.requests.length = 0;
    assert.deepEqual(await s.fetch(join(scratch, 'again.duckdb'), { ifNoneMatch: first.status === 'fetched' ? first.artifact.etag! : '' }), { status: 'not-modified' });
    assert.deepEqual(s3.requests.map((r) => r.status), [304]);
    rmSync(join(scratch, 'held.duckdb'));
  });

  it('is served by a server that downloads it in parts at start', async () => {
    s3.requests.length = 0;
    const server = await startServer(artifactManifest(`s3://${s3.bucket}/big.duckdb`, { pollIntervalMs: 0, downloadDir: scratch }), {
      port: 0, logger: recordingLogger().logger, env: { ...process.env, AWS_ENDPOINT_URL: s3.endpoint, FLAPI_ARTIFACT_PART_SIZE: '128k', FLAPI_ARTIFACT_PARTS: '3' },
    });
    try {
      assert.deepEqual(s3.requests.map((r) => r.range).sort(), partRanges(big.length).sort());
      assert.deepEqual(await (await fetch(`${server.url}/which`)).json(), [{ label: 'big' }]);
      assert.deepEqual(await (await fetch(`${server.url}/flights/199999`)).json(), [{ id: 199999, origin: 'LAX', label: 'big' }]);
    } finally {
      await server.close();
    }
  });
});

describe('an HTTP artifact larger than a part', () => {
  it('is read in ranges pinned to the first answer by If-Range, and is byte-identical', async () => {
    files.put('/ranged.duckdb', big, { ranges: true });
    files.requests.length = 0;
    assert.ok((await fetchedBytes(await store(`${files.url}/ranged.duckdb`), 'http.duckdb')).equals(big));
    assert.deepEqual(files.requests.map((r) => r.range).sort(), partRanges(big.length).sort());
    const etag = `"${createHash('sha1').update(big).digest('hex')}"`;
    assert.deepEqual(files.requests.filter((r) => r.range !== `bytes=0-${PART - 1}`).map((r) => r.ifRange), Array(partRanges(big.length).length - 1).fill(etag));
  });

  it('pins parts by Last-Modified when the server gives no ETag', async () => {
    files.put('/dated.duckdb', big, { ranges: true, etag: false });
    files.requests.length = 0;
    assert.ok((await fetchedBytes(await store(`${files.url}/dated.duckdb`), 'dated.duckdb')).equals(big));
    assert.ok(files.requests.slice(1).every((r) => r.status === 206 && r.ifRange !== undefined && /GMT$/.test(r.ifRange)));
  });

  it('is read as one stream from a server that ignores Range', async () => {
    files.put('/whole.duckdb', big);
    files.requests.length = 0;
    assert.ok((await fetchedBytes(await store(`${files.url}/whole.duckdb`), 'whole.duckdb')).equals(big));
    assert.deepEqual(files.requests.map((r) => r.status), [200]);
  });

  it('fails, leaving no file, when a new version lands during the download; the next fetch gets it whole', async () => {
    const newer = await artifactBytes({ label: 'newer', rows: 150_000 }, join(scratch, 'newer.duckdb'));
    files.put('/moving.duckdb', big, { ranges: true, next: newer });
    const s = await store(`${files.url}/moving.duckdb`);
    await assert.rejects(s.fetch(join(scratch, 'moving.duckdb')), /changed during the download/);
    assert.equal(existsSync(join(scratch, 'moving.duckdb')), false);
    assert.ok((await fetchedBytes(s, 'moving.duckdb')).equals(newer));
  });
});

describe('a GCS artifact larger than a part', () => {
  it('is read in ranges of its generation, checked against its MD5, and is byte-identical', async () => {
    gcs.put('data', 'big.duckdb', big);
    gcs.requests.length = 0;
    assert.ok((await fetchedBytes(await store('gs://data/big.duckdb', gcs.url), 'gcs.duckdb')).equals(big));
    const media = gcs.requests.filter((r) => r.includes('alt=media'));
    assert.equal(media.length, partRanges(big.length).length);
    assert.ok(media.every((r) => r.includes('generation=')), 'every part names the generation');
  });
});

describe('downloadInParts', () => {
  const parts = (bytes: Buffer, tamper: (part: Buffer, start: number) => Buffer = (p) => p) => {
    let inFlight = 0;
    let most = 0;
    const readPart = async (start: number, end: number): Promise<Readable> => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const part = tamper(bytes.subarray(start, end + 1), start);
      return Readable.from([part.subarray(0, part.length >> 1), part.subarray(part.length >> 1)]).once('close', () => inFlight--);
    };
    return { readPart, most: () => most };
  };
  const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
  const dest = () => join(scratch, `unit-${Math.random().toString(36).slice(2)}`);

  it('writes every part at its offset, at most `parts` at a time, and checks the MD5 in order', async () => {
    const source = parts(big);
    const file = dest();
    assert.equal(await downloadInParts({ dest: file, size: big.length, partSize: PART, parts: 3, readPart: source.readPart, expectedMd5: md5(big) }), big.length);
    assert.ok(readFileSync(file).equals(big));
    assert.equal(source.most(), 3);
    rmSync(file);
  });

  it('refuses bytes that do not match the MD5, and a part cut short, removing the file', async () => {
    const flipped = parts(big, (p, start) => (start === 2 * PART ? Buffer.concat([Buffer.from([p[0]! ^ 1]), p.subarray(1)]) : p));
    const file = dest();
    await assert.rejects(downloadInParts({ dest: file, size: big.length, partSize: PART, parts: 3, readPart: flipped.readPart, expectedMd5: md5(big) }), /does not match its ETag/);
    assert.equal(existsSync(file), false);
    const short = parts(big, (p, start) => (start === PART ? p.subarray(1) : p));
    await assert.rejects(downloadInParts({ dest: file, size: big.length, partSize: PART, parts: 3, readPart: short.readPart }), /part at byte 131072 was cut short/);
    assert.equal(existsSync(file), false);
  });
});
