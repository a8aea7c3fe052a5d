/**
 * The one way format writers pull data: chunk by chunk from a DuckDB result, turned into a
 * byte stream that only asks for the next chunk when the consumer has drained the last one.
 */
import { Readable } from 'node:stream';
import type { DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';

/** Yields the result's non-empty chunks; with a streaming result only one is alive at a time. */
export async function* resultChunks(result: DuckDBResult): AsyncGenerator<DuckDBDataChunk> {
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    yield chunk;
  }
}

/**
 * A byte stream over generated pieces. `Readable.from` resumes the generator only when the
 * stream's buffer has room, which is the backpressure that keeps a 3M-row export small; when
 * the stream is destroyed (client gone) the generator's `finally` blocks run.
 */
export function byteStream(pieces: AsyncIterable<string | Uint8Array>): Readable {
  return Readable.from(pieces, { objectMode: false, highWaterMark: 64 * 1024 });
}
