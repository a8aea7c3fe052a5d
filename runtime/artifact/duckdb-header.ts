/**
 * A cheap look at a file's first bytes before DuckDB opens it. A wrong upload (an HTML
 * error page, a Parquet file, a gzip) then reads as "not a DuckDB file" with a hint of
 * what it is, instead of a storage-layer error.
 */
import { open } from 'node:fs/promises';
import { ArtifactRejectedError } from './artifact-rejected.js';

/** DuckDB's main header: an 8-byte checksum, then these magic bytes. */
const MAGIC = Buffer.from('DUCK', 'ascii');
const MAGIC_OFFSET = 8;
/** The main header and two database headers, 4 KiB each: no valid file is shorter. */
const MIN_SIZE = 3 * 4096;

function looksLike(head: Buffer): string {
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'a Parquet file';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip data';
  if (head.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') return 'a zip archive';
  if (head.subarray(0, 16).toString('latin1') === 'SQLite format 3\u0000') return 'an SQLite database';
  const printable = head.filter((b) => (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09).length;
  // Mostly text (an error page, JSON, a CSV): quote its start; otherwise it is some binary.
  if (printable < head.length * 0.9) return 'binary data of another format';
  const text = head.toString('utf8').replace(/\s+/g, ' ').trim();
  return `"${text.slice(0, 40)}${text.length > 40 ? '…' : ''}"`;
}

export async function checkDuckdbHeader(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const first = head.subarray(0, bytesRead);
    if (bytesRead < MAGIC_OFFSET + MAGIC.length || !first.subarray(MAGIC_OFFSET, MAGIC_OFFSET + MAGIC.length).equals(MAGIC)) {
      throw new ArtifactRejectedError(`not a DuckDB file (${size} bytes, starts with ${bytesRead === 0 ? 'nothing' : looksLike(first)})`);
    }
    if (size < MIN_SIZE) throw new ArtifactRejectedError(`truncated DuckDB file: ${size} bytes, shorter than a DuckDB header`);
  } finally {
    await handle.close();
  }
}
