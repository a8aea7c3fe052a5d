/** The response formats a read endpoint can answer with, and how each is labelled on the wire. */
export type ResponseFormat = 'json' | 'csv' | 'ndjson' | 'arrow' | 'parquet';

export const RESPONSE_FORMATS: readonly ResponseFormat[] = ['json', 'csv', 'ndjson', 'arrow', 'parquet'];

export const CONTENT_TYPES: Readonly<Record<ResponseFormat, string>> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8; header=present',
  ndjson: 'application/x-ndjson; charset=utf-8',
  arrow: 'application/vnd.apache.arrow.stream',
  parquet: 'application/vnd.apache.parquet',
};

export const FILE_EXTENSIONS: Readonly<Record<ResponseFormat, string>> = {
  json: 'json',
  csv: 'csv',
  ndjson: 'ndjson',
  arrow: 'arrows',
  parquet: 'parquet',
};

/** `Content-Disposition` for formats that are files rather than documents (parquet, arrow). */
export function contentDisposition(format: ResponseFormat, baseName: string): string | undefined {
  if (format !== 'parquet' && format !== 'arrow') return undefined;
  const safe = baseName.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'result';
  return `attachment; filename="${safe}.${FILE_EXTENSIONS[format]}"`;
}
