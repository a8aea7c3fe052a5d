/**
 * The hand-over between a source stream and DuckDB's CSV reader: a named pipe, so DuckDB
 * parses rows while they still arrive and nothing lands on disk. Where named pipes are
 * unavailable, a temporary file is written first and read afterwards.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { privateTempDir } from '../db/private-temp.js';

/** Writes are gathered to about this size: one syscall per megabyte, not per row. */
const BATCH_BYTES = 1 << 20;

export interface RowsPipe {
  readonly path: string;
  /** True for a named pipe (read while written), false for a file (write first). */
  readonly streaming: boolean;
  /** Copies the chunks in, then closes the writing end (also on failure), so the reader sees the end. */
  fill(chunks: AsyncIterable<Buffer>): Promise<void>;
  /** Unblocks a writer nobody reads any more, waits for it and removes the pipe. */
  dispose(): Promise<void>;
}

export async function createRowsPipe(): Promise<RowsPipe> {
  // Under the private temp folder: the only temp folder the locked-down database may read.
  const dir = await mkdtemp(join(privateTempDir(), 'cache-'));
  const path = join(dir, 'rows.csv');
  const streaming = await makeFifo(path);
  let filling: Promise<void> | undefined;
  let disposed: Promise<void> | undefined;
  return {
    path,
    streaming,
    fill(chunks) {
      // Opening a pipe to write waits until DuckDB opens it to read. Writing first would
      // lose the rows: a pipe's buffer is dropped when its last writer closes before any
      // reader came.
      filling ??= open(path, streaming ? constants.O_WRONLY : 'w').then((handle) => writeAll(handle, chunks));
      return filling;
    },
    dispose() {
      disposed ??= (async () => {
        if (filling !== undefined && streaming) await drainUntil(path, filling);
        await filling?.catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      })();
      return disposed;
    },
  };
}

async function writeAll(handle: FileHandle, chunks: AsyncIterable<Buffer>): Promise<void> {
  try {
    let batch: Buffer[] = [];
    let size = 0;
    for await (const chunk of chunks) {
      batch.push(chunk);
      size += chunk.length;
      if (size >= BATCH_BYTES) {
        await handle.write(Buffer.concat(batch, size));
        batch = [];
        size = 0;
      }
    }
    if (size > 0) await handle.write(Buffer.concat(batch, size));
  } finally {
    await handle.close();
  }
}

/**
 * A writer whose reader never came (the query failed before reading) waits forever in
 * `open`, and one whose reader stopped waits in `write`; opening the pipe ourselves and
 * reading it (non-blocking, so no thread waits on an empty pipe) lets it finish.
 */
async function drainUntil(path: string, writer: Promise<void>): Promise<void> {
  let settled = false;
  void writer.then(() => (settled = true), () => (settled = true));
  await Promise.resolve();
  if (settled) return;
  const reader = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const buffer = Buffer.allocUnsafe(BATCH_BYTES);
  try {
    while (!settled) {
      const got = await reader.read(buffer, 0, buffer.length, null).then((r) => r.bytesRead, () => 0);
      if (got === 0) await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    await reader.close();
  }
}

function makeFifo(path: string): Promise<boolean> {
  if (process.platform === 'win32') return Promise.resolve(false);
  return new Promise((resolve) => {
    execFile('mkfifo', ['-m', '600', path], (err) => resolve(err === null));
  });
}
