/**
 * The query log asked for by a connection's `log-queries` (the rendered SQL, its time
 * and row count) and `log-parameters` (the values bound to it). Both are off by
 * default: SQL and values can carry personal data. What is written is redacted
 * (runtime/security/log-redaction.ts) whichever logger receives it.
 */
import type { ConnectionSpec, EndpointSpec, Manifest } from '../manifest.js';
import { redactFields, redactText } from '../security/log-redaction.js';
import type { Logger } from './logger.js';

export interface QueryLogSettings {
  logQueries: boolean;
  logParameters: boolean;
}

export const QUERY_LOG_OFF: QueryLogSettings = Object.freeze({ logQueries: false, logParameters: false });

/** What the endpoint's connections ask for: a setting on any of them applies to its queries. */
export function queryLogSettings(manifest: Pick<Manifest, 'connections'>, endpoint: Pick<EndpointSpec, 'connection'>): QueryLogSettings {
  const specs = endpoint.connection.map((name) => manifest.connections[name]).filter((c): c is ConnectionSpec => c !== undefined);
  return {
    logQueries: specs.some((c) => c.logQueries),
    logParameters: specs.some((c) => c.logParameters),
  };
}

export interface QueryLogEntry {
  /** The endpoint's name (or path) the query ran for. */
  endpoint: string;
  /** The SQL as rendered from the template and sent to DuckDB. */
  sql: string;
  /** Values bound to the statement's `$n` placeholders, in order. */
  values: readonly unknown[];
  ms: number;
  rows?: number;
  request_id?: string;
  /** Requests answered together by one query (concurrent key lookups), when more than one. */
  batch?: number;
}

/**
 * One info line per query when `log-queries` or `log-parameters` is on: the SQL with
 * `log-queries`, the bound values with `log-parameters`. Nothing at all otherwise.
 */
export function logQuery(logger: Logger, settings: QueryLogSettings, entry: QueryLogEntry): void {
  if (!settings.logQueries && !settings.logParameters) return;
  const fields: Record<string, unknown> = { endpoint: entry.endpoint, ms: entry.ms };
  if (entry.rows !== undefined) fields['rows'] = entry.rows;
  if (entry.request_id !== undefined) fields['request_id'] = entry.request_id;
  if (entry.batch !== undefined && entry.batch > 1) fields['batch'] = entry.batch;
  if (settings.logQueries) fields['sql'] = redactText(entry.sql);
  if (settings.logParameters) fields['values'] = redactFields(entry.values.map(printable));
  const rows = entry.rows === undefined ? '' : `, ${entry.rows} rows`;
  logger.info(`query ${entry.endpoint} (${entry.ms}ms${rows})`, fields);
}

/** Values a JSON line can hold: bigints as their digits, dates and bytes as text. */
function printable(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  return value;
}
