/** One entry point for the formats that stream straight from a DuckDB result. */
import type { Readable } from 'node:stream';
import type { DuckDBResult } from '@duckdb/node-api';
import { byteStream } from './chunk-source.js';
import type { ResponseFormat } from './response-format.js';
import { csvStream, jsonStream, ndjsonStream, type JsonStreamOptions } from './text-streams.js';

/** Parquet is written by DuckDB to a file first: use `parquetExport` for it. */
export type StreamedFormat = Exclude<ResponseFormat, 'parquet'>;

async function* arrowPiecesOnDemand(result: DuckDBResult): AsyncGenerator<Uint8Array> {
  // apache-arrow is ~150 modules: a server that is never asked for Arrow never loads them
  // (they would add ~100 ms to every cold start).
  const { arrowPieces } = await import('./arrow-stream.js');
  yield* arrowPieces(result);
}

/** Arrow IPC stream of a DuckDB result (runtime/formats/arrow-stream.ts). */
export function arrowStream(result: DuckDBResult): Readable {
  return byteStream(arrowPiecesOnDemand(result));
}

export function formatStream(format: StreamedFormat, result: DuckDBResult, json: JsonStreamOptions = {}): Readable {
  switch (format) {
    case 'json':
      return jsonStream(result, json);
    case 'ndjson':
      return ndjsonStream(result, json.bigint);
    case 'csv':
      return csvStream(result);
    case 'arrow':
      return arrowStream(result);
  }
}
