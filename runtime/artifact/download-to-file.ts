/**
 * Streams a download to a local file and checks it arrived whole. A connection cut
 * mid-transfer can end a stream without an error; comparing the byte count with the
 * announced length catches that before DuckDB ever sees the file. When the store names
 * the content's MD5 (an S3 ETag of a single-part upload), the bytes are checked against
 * it too: a store that is not atomic can serve a new ETag with bytes still being written.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArtifactFetchError } from './artifact-store.js';

export async function downloadToFile(
  body: Readable | ReadableStream<Uint8Array>,
  dest: string,
  expectedSize: number | undefined,
  signal?: AbortSignal,
  expectedMd5?: string,
): Promise<number> {
  const source = body instanceof Readable ? body : Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
  let bytes = 0;
  const md5 = expectedMd5 !== undefined ? createHash('md5') : undefined;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      md5?.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, counter, createWriteStream(dest), signal ? { signal } : {});
  } catch (err) {
    await rm(dest, { force: true });
    throw new ArtifactFetchError(`download interrupted after ${bytes} bytes: ${(err as Error).message}`, { cause: err });
  }
  if (expectedSize !== undefined && bytes !== expectedSize) {
    await rm(dest, { force: true });
    throw new ArtifactFetchError(`download truncated: received ${bytes} of ${expectedSize} bytes`);
  }
  if (md5 !== undefined && md5.digest('hex') !== expectedMd5) {
    await rm(dest, { force: true });
    throw new ArtifactFetchError(`the download does not match its ETag (MD5 ${expectedMd5}); the object may be changing`);
  }
  return bytes;
}
