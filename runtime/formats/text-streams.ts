/**
 * JSON array, NDJSON and CSV byte streams over a DuckDB result, one chunk at a time.
 *
 * The stream owns the result until it ends or is destroyed; whoever lent the connection
 * gets it back on the stream's `close` event.
 */
import type { Readable } from 'node:stream';
import type { DuckDBResult } from '@duckdb/node-api';
import { ByteSink, createJsonTextWriter, resultColumns, type BigintMode } from '../serialize/index.js';
import { byteStream, resultChunks } from './chunk-source.js';
import { createCsvTextWriter } from './csv-text.js';

/**
 * Output gathered before a piece goes to the socket (DuckDB's chunks make 50–250 kB each):
 * fewer, larger writes. The read-ahead stays bounded by it.
 */
const PIECE_BYTES = 256 * 1024;

export interface JsonStreamOptions {
  /** Text before the array, e.g. `{"data":` for an envelope. */
  prefix?: string;
  /** Text after the array; a function gets the number of rows written. */
  suffix?: string | ((rowCount: number) => string);
  bigint?: BigintMode;
}

export function jsonStream(result: DuckDBResult, options: JsonStreamOptions = {}): Readable {
  return byteStream(jsonPieces(result, options));
}

async function* jsonPieces(result: DuckDBResult, options: JsonStreamOptions): AsyncGenerator<string | Buffer> {
  const writer = createJsonTextWriter(resultColumns(result), options.bigint);
  const sink = new ByteSink();
  let rowCount = 0;
  let open = `${options.prefix ?? ''}[`;
  for await (const chunk of resultChunks(result)) {
    sink.text(open);
    writer.writeRows(chunk, ',', sink);
    if (sink.pending >= PIECE_BYTES) yield sink.take();
    open = ',';
    rowCount += chunk.rowCount;
  }
  const suffix = typeof options.suffix === 'function' ? options.suffix(rowCount) : (options.suffix ?? '');
  sink.text(rowCount === 0 ? `${open}]${suffix}` : `]${suffix}`);
  yield sink.take();
}

export function ndjsonStream(result: DuckDBResult, bigint: BigintMode = 'auto'): Readable {
  return byteStream(ndjsonPieces(result, bigint));
}

async function* ndjsonPieces(result: DuckDBResult, bigint: BigintMode): AsyncGenerator<Buffer> {
  const writer = createJsonTextWriter(resultColumns(result), bigint);
  const sink = new ByteSink();
  for await (const chunk of resultChunks(result)) {
    writer.writeRows(chunk, '\n', sink);
    sink.byte(10);
    if (sink.pending >= PIECE_BYTES) yield sink.take();
  }
  if (sink.pending > 0) yield sink.take();
}

export interface CsvStreamOptions {
  /** Write the header row (default true). */
  header?: boolean;
}

export function csvStream(result: DuckDBResult, options: CsvStreamOptions = {}): Readable {
  return byteStream(csvPieces(result, options));
}

async function* csvPieces(result: DuckDBResult, options: CsvStreamOptions): AsyncGenerator<string | Buffer> {
  const writer = createCsvTextWriter(resultColumns(result));
  const sink = new ByteSink();
  if (options.header !== false) sink.text(writer.header());
  for await (const chunk of resultChunks(result)) {
    writer.writeRows(chunk, sink);
    if (sink.pending >= PIECE_BYTES) yield sink.take();
  }
  if (sink.pending > 0) yield sink.take();
}
