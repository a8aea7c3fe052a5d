/**
 * Picks the response format from `?format=` (which wins) or the `Accept` header.
 *
 * Undefined means "none of ours is acceptable": an unknown `?format=` value, or an `Accept`
 * header that names only types we cannot produce. The caller answers 406 (or 400).
 */
import type { ResponseFormat } from './response-format.js';

const FORMAT_NAMES: Readonly<Record<string, ResponseFormat>> = {
  json: 'json',
  csv: 'csv',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  arrow: 'arrow',
  arrows: 'arrow',
  parquet: 'parquet',
};

const MEDIA_TYPES: Readonly<Record<string, ResponseFormat>> = {
  'application/json': 'json',
  'text/json': 'json',
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/x-jsonlines': 'ndjson',
  'application/vnd.apache.arrow.stream': 'arrow',
  'application/vnd.apache.parquet': 'parquet',
  'application/x-parquet': 'parquet',
};

interface Candidate {
  format: ResponseFormat;
  q: number;
  /** 2 = exact type, 1 = `type/*`, 0 = `*\/*`: a more specific range wins a tie. */
  specificity: number;
  order: number;
}

export function negotiateFormat(accept: string | undefined, formatParam: string | undefined): ResponseFormat | undefined {
  if (formatParam !== undefined && formatParam !== '') {
    return FORMAT_NAMES[formatParam.trim().toLowerCase()];
  }
  if (accept === undefined || accept.trim() === '') return 'json';
  let best: Candidate | undefined;
  const ranges = accept.split(',');
  for (let order = 0; order < ranges.length; order++) {
    const candidate = parseRange(ranges[order]!, order);
    if (!candidate || candidate.q <= 0) continue;
    if (
      !best ||
      candidate.q > best.q ||
      (candidate.q === best.q && candidate.specificity > best.specificity)
    ) {
      best = candidate;
    }
  }
  return best?.format;
}

function parseRange(range: string, order: number): Candidate | undefined {
  const [typePart, ...params] = range.split(';');
  const type = typePart!.trim().toLowerCase();
  if (type === '') return undefined;
  let q = 1;
  for (const param of params) {
    const [key, value] = param.split('=');
    if (key?.trim().toLowerCase() === 'q') {
      const parsed = Number(value?.trim());
      q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
    }
  }
  if (type === '*/*') return { format: 'json', q, specificity: 0, order };
  if (type === 'application/*') return { format: 'json', q, specificity: 1, order };
  if (type === 'text/*') return { format: 'csv', q, specificity: 1, order };
  const format = MEDIA_TYPES[type];
  return format ? { format, q, specificity: 2, order } : undefined;
}
