/**
 * Where a cache template runs. Every source has the same small shape: given the rendered
 * SELECT, it hands back SQL that DuckDB can read the rows from, while the rows flow.
 * DuckDB-native sources (files, attached databases) are the SELECT itself; PostgreSQL
 * streams a COPY into a pipe DuckDB reads.
 */
export interface SourceRelation {
  /** A relation DuckDB can select from: `(SELECT ...)` or `read_csv(...)`. */
  readonly sql: string;
  /** Settles once the source delivered every row; rejects with the source's error. */
  readonly done: Promise<void>;
  /** Stops any transfer still running and removes temporary files. Safe to call twice. */
  close(): Promise<void>;
}

export interface CacheSource {
  /** For messages: `duckdb`, `postgres`. */
  readonly kind: string;
  open(sql: string, signal?: AbortSignal): Promise<SourceRelation>;
}

/** A template's text as a subquery: trailing semicolons go, and a closing newline ends any `--` comment. */
export function asSubquery(sql: string): string {
  return `(${sql.replace(/[\s;]+$/, '')}\n)`;
}
