export {
  CONTENT_TYPES,
  FILE_EXTENSIONS,
  RESPONSE_FORMATS,
  contentDisposition,
  type ResponseFormat,
} from './response-format.js';
export { negotiateFormat } from './negotiate-format.js';
export { byteStream, resultChunks } from './chunk-source.js';
export { createCsvTextWriter, csvField, type CsvTextWriter } from './csv-text.js';
export { csvStream, jsonStream, ndjsonStream, type CsvStreamOptions, type JsonStreamOptions } from './text-streams.js';
export { parquetCopySql, parquetExport, type ParquetExport, type ParquetExportOptions } from './parquet-export.js';
export { arrowStream, formatStream, type StreamedFormat } from './format-stream.js';
