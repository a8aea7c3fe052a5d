/**
 * A large artifact is read in parts, several at a time, each written at its offset in the
 * file: one TCP stream seldom carries what an object store can send, and a cold start
 * that downloads its database waits for every byte. Each part must arrive whole; when the
 * store names the object's MD5, the file is hashed in order as parts land (read back from
 * the page cache), so the check costs about one part after the last byte.
 */
import { createHash, type Hash } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ArtifactFetchError } from './artifact-store.js';

export type ByteStream = Readable | ReadableStream<Uint8Array>;

/** How a download is cut: parts of `partSize` bytes, `parts` of them in flight at once. */
export interface PartLayout {
  partSize: number;
  parts: number;
}

export interface PartedDownload extends PartLayout {
  dest: string;
  /** The whole object's size. */
  size: number;
  /** The first part's body when the request that found the size already carries it. */
  first?: ByteStream;
  /**
   * Bytes `start`..`end` (inclusive) of the same version the size came from; throws an
   * ArtifactFetchError when the store serves another version.
   */
  readPart(start: number, end: number, signal: AbortSignal): Promise<ByteStream>;
  signal?: AbortSignal | undefined;
  /** Hex MD5 of the whole object. */
  expectedMd5?: string | undefined;
}

/** `bytes 0-8388607/31457280` → 31457280 (undefined when absent or unreadable). */
export function totalFromContentRange(header: string | null | undefined): number | undefined {
  const match = /^bytes \d+-\d+\/(\d+)$/.exec(header?.trim() ?? '');
  return match ? Number(match[1]) : undefined;
}

/** The `Range` header value for `start`..`end` inclusive. */
export function byteRange(start: number, end: number): string {
  return `bytes=${start}-${end}`;
}

function readable(body: ByteStream): Readable {
  return body instanceof Readable ? body : Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
}

async function writeAt(handle: FileHandle, body: ByteStream, start: number, length: number, signal: AbortSignal): Promise<void> {
  const stream = readable(body);
  const stop = (): void => void stream.destroy(signal.reason instanceof Error ? signal.reason : new Error('download aborted'));
  if (signal.aborted) stop();
  signal.addEventListener('abort', stop, { once: true });
  let written = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (written + chunk.length > length) throw new ArtifactFetchError(`the part at byte ${start} is longer than the ${length} bytes asked for`);
      await handle.write(chunk, 0, chunk.length, start + written);
      written += chunk.length;
    }
  } finally {
    signal.removeEventListener('abort', stop);
    stream.destroy();
  }
  if (written !== length) throw new ArtifactFetchError(`the part at byte ${start} was cut short: ${written} of ${length} bytes`);
}

/** MD5 of the file in byte order, fed part by part as the parts before it are complete. */
class OrderedMd5 {
  private readonly hash: Hash = createHash('md5');
  private readonly complete = new Set<number>();
  private next = 0;
  private work: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(private readonly handle: FileHandle, private readonly partSize: number, private readonly size: number) {}

  partDone(index: number): void {
    this.complete.add(index);
    this.work = this.work.then(() => this.advance()).catch((err: unknown) => void (this.failure ??= err));
  }

  private async advance(): Promise<void> {
    const buffer = Buffer.allocUnsafe(Math.min(this.partSize, 1024 * 1024));
    while (this.complete.has(this.next)) {
      const end = Math.min(this.size, (this.next + 1) * this.partSize);
      for (let position = this.next * this.partSize; position < end;) {
        const { bytesRead } = await this.handle.read(buffer, 0, Math.min(buffer.length, end - position), position);
        if (bytesRead === 0) throw new Error(`the file ended at byte ${position} while hashing`);
        this.hash.update(buffer.subarray(0, bytesRead));
        position += bytesRead;
      }
      this.next++;
    }
  }

  async digest(): Promise<string> {
    await this.work;
    if (this.failure !== undefined) throw this.failure;
    return this.hash.digest('hex');
  }
}

/** Downloads `size` bytes into `dest` in parts; returns the byte count. Removes `dest` on failure. */
export async function downloadInParts(download: PartedDownload): Promise<number> {
  const { dest, size, partSize } = download;
  const count = Math.ceil(size / partSize);
  const controller = new AbortController();
  const abort = (): void => controller.abort(download.signal?.reason);
  download.signal?.addEventListener('abort', abort, { once: true });
  let handle: FileHandle | undefined;
  let first = download.first;
  try {
    // Read as well as written: the MD5 is taken from the file.
    handle = await open(dest, 'w+');
    await handle.truncate(size);
    const opened = handle;
    const md5 = download.expectedMd5 !== undefined ? new OrderedMd5(opened, partSize, size) : undefined;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count && !controller.signal.aborted) {
        const index = next++;
        const start = index * partSize;
        const end = Math.min(size, start + partSize) - 1;
        const body = index === 0 && first !== undefined ? first : await download.readPart(start, end, controller.signal);
        if (index === 0) first = undefined;
        await writeAt(opened, body, start, end - start + 1, controller.signal);
        md5?.partDone(index);
      }
    };
    const workers = Array.from({ length: Math.max(1, Math.min(download.parts, count)) }, () =>
      worker().catch((err: unknown) => {
        controller.abort(err);
        throw err;
      }));
    const settled = await Promise.allSettled(workers);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    if (download.signal?.aborted) throw download.signal.reason;
    if (md5 !== undefined && (await md5.digest()) !== download.expectedMd5) {
      throw new ArtifactFetchError(`the download does not match its ETag (MD5 ${download.expectedMd5}); the object may be changing`);
    }
    return size;
  } catch (err) {
    if (first !== undefined) readable(first).destroy();
    await handle?.close();
    handle = undefined;
    await rm(dest, { force: true });
    if (err instanceof ArtifactFetchError) throw err;
    throw new ArtifactFetchError(`download in parts failed: ${(err as Error).message}`, { cause: err });
  } finally {
    download.signal?.removeEventListener('abort', abort);
    await handle?.close();
  }
}
