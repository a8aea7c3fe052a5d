import type { DuckDBConnection } from '@duckdb/node-api';
import { writesItself } from '../../runtime/cache/self-writing-template.js';
import { quoteIdent } from '../../runtime/cache/sql-names.js';
import { renderTemplate, type CompiledTemplate, type TemplateContext } from '../../runtime/template/index.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export type SelfWritingOutcome = 'not-self-writing' | 'built' | 'failed';

/**
 * A cache template that writes its own table (flAPI's `CREATE TABLE ...; INSERT INTO ...`)
 * cannot be prepared as one statement: the dry-run runs it in its scratch in-memory
 * database instead, which also leaves the cache table there for the endpoints reading it.
 */
export async function dryRunSelfWriting(
  connection: DuckDBConnection, template: CompiledTemplate, context: TemplateContext, catalog: string, schema: string,
  file: string, diagnostics: Diagnostic[],
): Promise<SelfWritingOutcome> {
  let sql: string;
  try {
    sql = renderTemplate(template, context).sql;
  } catch {
    return 'not-self-writing';
  }
  if (!writesItself(sql)) return 'not-self-writing';
  try {
    await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(catalog)}.${quoteIdent(schema)}`);
    await connection.run(sql);
    return 'built';
  } catch (err) {
    const line = /LINE (\d+):/.exec(String((err as Error).message))?.[1];
    diagnostics.push({ severity: 'error', file, line: line === undefined ? 1 : Number(line), column: 1, code: 'sql',
      message: `SQL error in dry-run of the cache template: ${String((err as Error).message).split('\n')[0]}; fix the template` });
    return 'failed';
  }
}
