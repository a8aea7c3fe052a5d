/**
 * Pagination wraps the rendered SQL: one statement for the page (`LIMIT`/`OFFSET` bound
 * as parameters, so every page shares one prepared statement) and one for the total.
 * A separate `count(*)` was measured against `count(*) OVER ()` on the page query: it is
 * as fast or faster (DuckDB drops the ORDER BY and unused columns), and it is skipped
 * whenever the page itself tells the total (a short page).
 * A template that uses `params.limit`/`params.offset` itself pages on its own, and then
 * only `next` is derived from the page size.
 */
import type { BoundValue } from '../template/index.js';

/** SQL text without trailing semicolons; a newline closes any trailing `--` comment. */
function inner(sql: string): string {
  return sql.replace(/[\s;]+$/, '');
}

export function pageSql(sql: string, valueCount: number): string {
  return `SELECT * FROM (\n${inner(sql)}\n) AS flapi_page LIMIT $${valueCount + 1} OFFSET $${valueCount + 2}`;
}

export function countSql(sql: string): string {
  return `SELECT count(*) AS total FROM (\n${inner(sql)}\n) AS flapi_count`;
}

/** The total implied by a page, when it is short; undefined when a count must be run. */
export function totalFromPage(limit: number, offset: number, rowCount: number): number | undefined {
  if (rowCount > 0 && rowCount < limit) return offset + rowCount;
  if (rowCount === 0 && offset === 0) return 0;
  return undefined;
}

export function pageValues(values: readonly BoundValue[], limit: number, offset: number): BoundValue[] {
  return [...values, limit, offset];
}

/** Path and query of the next page, or null when this page is the last. */
export function nextLink(
  path: string,
  querystring: string,
  limit: number,
  offset: number,
  rowCount: number,
  total: number | undefined,
): string | null {
  const nextOffset = offset + limit;
  const more = total === undefined ? rowCount >= limit : nextOffset < total;
  if (!more) return null;
  const query = new URLSearchParams(querystring);
  query.set('offset', String(nextOffset));
  query.set('limit', String(limit));
  return `${path}?${query.toString()}`;
}
