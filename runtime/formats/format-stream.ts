/** One entry point for the formats that stream straight from a DuckDB result. */
import type { Readable } from 'node:stream';
import type { DuckDBResult } from '@duckdb/node-api';
import { arrowStream } from './arrow-stream.js';
import type { ResponseFormat } from './response-format.js';
import { csvStream, jsonStream, ndjsonStream, type JsonStreamOptions } from './text-streams.js';

/** Parquet is written by DuckDB to a file first: use `parquetExport` for it. */
export type StreamedFormat = Exclude<ResponseFormat, 'parquet'>;

export function formatStream(format: StreamedFormat, result: DuckDBResult, json: JsonStreamOptions = {}): Readable {
  switch (format) {
    case 'json':
      return jsonStream(result, json);
    case 'ndjson':
      return ndjsonStream(result);
    case 'csv':
      return csvStream(result);
    case 'arrow':
      return arrowStream(result);
  }
}
