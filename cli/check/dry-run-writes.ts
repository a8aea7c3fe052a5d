/**
 * The dry-run of a write template with several statements (`CREATE TABLE IF NOT EXISTS
 * ...; INSERT ...`): a later statement may need what an earlier one creates, so each is
 * prepared after the ones before it ran, with the sample values, inside a transaction
 * that is rolled back. A statement that prepares but fails on the sample values (a
 * constraint, say) says nothing about the template and is not reported.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnSpec } from '../../runtime/manifest.js';
import { bindValues } from '../../runtime/db/bind-values.js';
import { splitStatements } from '../../runtime/plan/split-statements.js';
import type { RenderedSql } from '../../runtime/template/index.js';
import type { DryRunContext } from './dry-run-input.js';
import { prepareRendered } from './dry-run-prepare.js';

/** The columns of the last statement, or false when a statement failed (already reported). */
export async function dryRunWrite(connection: DuckDBConnection, rendered: RenderedSql, file: string, source: string, input: DryRunContext): Promise<{ columns: ColumnSpec[] } | false> {
  const statements = splitStatements(rendered);
  if (statements.length === 1) return prepareRendered(connection, rendered, file, source, input, { write: true });
  await connection.run('BEGIN TRANSACTION');
  try {
    let columns: ColumnSpec[] = [];
    for (const statement of statements) {
      const prepared = await prepareRendered(connection, statement, file, source, input, { write: true });
      if (prepared === false) return false;
      columns = prepared.columns;
      try {
        const run = await connection.prepare(statement.sql);
        bindValues(run, statement.values);
        await run.run();
      } catch {
        // Sample values may break a constraint; the statement itself prepared.
      }
    }
    return { columns };
  } finally {
    await connection.run('ROLLBACK').catch(() => undefined);
  }
}
