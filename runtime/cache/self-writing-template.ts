/**
 * flAPI's older cache templates write their table themselves (`CREATE TABLE IF NOT
 * EXISTS {{cache.catalog}}.{{cache.schema}}.{{cache.table}} ...; INSERT INTO ...`)
 * instead of selecting the rows. Such a template runs as written, inside the refresh's
 * transaction, with `cache.table` naming the physical table of this refresh; the cache's
 * view is then pointed at it like after any other refresh.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from './sql-names.js';
import { rowCount, tableExists, type WriteTarget } from './write-modes.js';

const WRITING = /^(create|insert|merge|update|delete|drop|alter)\b/i;

/** Does the rendered template begin with a statement that writes (rather than a SELECT / WITH)? */
export function writesItself(sql: string): boolean {
  const text = sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ').trim();
  return WRITING.test(text);
}

/** Runs the template's statements; the rows the physical table gained (all of them for a new one). */
export async function runSelfWritingTemplate(conn: DuckDBConnection, target: WriteTarget, sql: string): Promise<number> {
  const existed = await tableExists(conn, target.catalog, target.schema, target.physical);
  const before = existed ? await rowCount(conn, target) : 0;
  await conn.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(target.catalog)}.${quoteIdent(target.schema)}`);
  await conn.run(sql);
  if (!(await tableExists(conn, target.catalog, target.schema, target.physical))) {
    throw new Error(`the cache template wrote no table ${target.schema}.${target.physical}; write into {{cache.catalog}}.{{cache.schema}}.{{cache.table}} (or make the template a SELECT of the rows)`);
  }
  return Math.max(0, (await rowCount(conn, target)) - before);
}
