/**
 * Parquet responses, written by DuckDB itself: `COPY (<query>) TO '<temp file>'` runs the
 * endpoint's SQL with the same bound parameters (COPY accepts `$n` placeholders), then the
 * file is streamed out and deleted when the stream closes. Only the temp file name, which we
 * generate, is ever spliced into the SQL.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { privateTempDir } from '../db/private-temp.js';

export interface ParquetExportOptions {
  /** The endpoint's rendered SQL, with `$n` placeholders. */
  sql: string;
  /** Runs the given SQL with the endpoint's bound values (prepare, bind, run). */
  execute: (copySql: string) => Promise<unknown>;
  /** Folder for the temp file (default: the process's private temp folder, which the locked-down database may write). */
  tmpDir?: string;
  /** Parquet compression codec (default zstd). */
  compression?: 'zstd' | 'snappy' | 'gzip' | 'uncompressed';
}

export interface ParquetExport {
  stream: Readable;
  /** File size in bytes, for Content-Length. */
  size: number;
}

/** `COPY (<sql>) TO '<path>' (FORMAT parquet, ...)`; `path` must be a trusted file name. */
export function parquetCopySql(sql: string, path: string, compression = 'zstd'): string {
  // Trailing semicolons end the inner query too early; a newline closes any trailing comment.
  const inner = sql.replace(/[\s;]+$/, '');
  return `COPY (\n${inner}\n) TO '${path.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION ${compression})`;
}

export async function parquetExport(options: ParquetExportOptions): Promise<ParquetExport> {
  const path = join(options.tmpDir ?? privateTempDir(), `flapi-${process.pid}-${randomBytes(12).toString('hex')}.parquet`);
  const remove = () => unlink(path).catch(() => undefined);
  try {
    await options.execute(parquetCopySql(options.sql, path, options.compression));
    const { size } = await stat(path);
    const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
    // Unlinking right away would also work on POSIX, but not on Windows: wait for close.
    stream.once('close', () => void remove());
    return { stream, size };
  } catch (err) {
    await remove();
    throw err;
  }
}
