/**
 * The start of an unpaginated JSON body, `[` and the rows so far, kept as text while its
 * chunks are small and as bytes from the first large chunk on.
 *
 * A point lookup's one-row chunk costs least as a string, which is also what a buffered
 * body and the response cache keep; a chunk of hundreds of rows costs less than half as
 * much written as bytes (runtime/serialize/column-bytes.ts), which is what a streamed
 * body sends anyway. The text is the same either way.
 */
import type { DuckDBDataChunk } from '@duckdb/node-api';
import { ByteSink, type JsonTextWriter } from '../serialize/index.js';

/** Chunks of at least this many rows are written as bytes. */
export const BYTES_MIN_ROWS = 256;

export class JsonBody {
  /** Rows written so far. */
  rowCount = 0;
  /** Characters of the text pieces plus bytes of the byte pieces. */
  size = 1;
  private head = '[';
  /** Set from the first byte piece on; `head` is its first element then. */
  private parts: (string | Buffer)[] | undefined;
  private sink: ByteSink | undefined;

  constructor(private readonly writer: JsonTextWriter) {}

  add(chunk: DuckDBDataChunk): void {
    if (chunk.rowCount < BYTES_MIN_ROWS) {
      const rows = this.writer.rowsText(chunk, ',');
      const text = this.rowCount === 0 ? rows : `,${rows}`;
      if (this.parts === undefined) this.head += text;
      else this.parts.push(text);
      this.size += text.length;
      this.rowCount += chunk.rowCount;
      return;
    }
    this.parts ??= [this.head];
    const piece = this.continueWith(chunk);
    this.parts.push(piece);
    this.size += piece.length;
  }

  /** The chunk's rows as bytes, after a comma when rows came before; counted, not kept. */
  continueWith(chunk: DuckDBDataChunk): Buffer {
    this.sink ??= new ByteSink();
    if (this.rowCount > 0) this.sink.byte(44);
    this.writer.writeRows(chunk, ',', this.sink);
    this.rowCount += chunk.rowCount;
    return this.sink.take();
  }

  /** What was added, to stream before the rest. */
  pieces(): (string | Buffer)[] {
    return this.parts ?? [this.head];
  }

  /** The whole body, `]` included, as one string. */
  text(): string {
    if (this.parts === undefined) return `${this.head}]`;
    return `${this.parts.map((part) => (typeof part === 'string' ? part : part.toString('utf8'))).join('')}]`;
  }
}
